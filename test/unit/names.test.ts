// How a person is named on the command line (core/names.ts): `causette workspace admit Bruno`,
// `causette send chloe`: by PeerId, whole name or first words, case and accents aside; a whole name
// wins over a longer one that starts with it. Used for desks waiting to join and for contacts.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JoinRequestView } from '../../core/api/schema.js'
import { matching } from '../../core/cli/commands/workspace-admission.js'
import { namedBy } from '../../core/names.js'

const desk = (name: string, peerId: string): JoinRequestView => ({ peerId, name, address: '192.168.1.20', since: 0, state: 'waiting', confirmedByAdmin: false, confirmedByNewcomer: false })

test('a desk waiting to join is found by PeerId, whole name or first words, case aside', () => {
  const bruno = desk('Bruno Petit', '12D3KooWBruno')
  const chloe = desk('Chloé Roux', '12D3KooWChloe')
  assert.deepEqual(matching([bruno, chloe], '12D3KooWChloe'), [chloe])
  assert.deepEqual(matching([bruno, chloe], 'bruno petit'), [bruno])
  assert.deepEqual(matching([bruno, chloe], 'Bruno'), [bruno])
  assert.deepEqual(matching([bruno, chloe], 'chloé'), [chloe])
  assert.deepEqual(matching([bruno, chloe], 'Bru'), [], 'a word is whole, never a few letters')
})

test('a whole name wins over first words; two desks sharing first words are both named', () => {
  const bruno = desk('Bruno', '12D3KooWOne')
  const brunoPetit = desk('Bruno Petit', '12D3KooWTwo')
  const brunoMartin = desk('Bruno Martin', '12D3KooWThree')
  assert.deepEqual(matching([brunoPetit, bruno], 'Bruno'), [bruno])
  assert.deepEqual(matching([brunoPetit, brunoMartin], 'Bruno'), [brunoPetit, brunoMartin])
})

test('names: accents, case and spaces aside; a few letters are no name', () => {
  const people = ['Chloé Roux', 'Bruno Petit', 'Anna']
  const named = (wanted: string): string[] => namedBy(people, wanted, name => name)
  assert.deepEqual(named('chloe'), ['Chloé Roux'])
  assert.deepEqual(named('  CHLOÉ   roux '), ['Chloé Roux'])
  assert.deepEqual(named('anna'), ['Anna'])
  assert.deepEqual(named('Chl'), [])
  assert.deepEqual(named(''), [])
})
