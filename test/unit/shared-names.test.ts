// Which people carry a tag beside their name (core/names.ts sharingAName, core/node/shared-names.ts):
// those whose display name another known person, or the user, goes by too, case, accents and spaces
// aside; the tag is the end of their PeerId, the same on every desk (docs/SECURITY.md, "Two colleagues
// with one name").
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { nameTagOf, sharingAName } from '../../core/names.js'
import { SharedNames } from '../../core/node/shared-names.js'

test('a name is shared across case, accents and spaces; a name alone or a longer one is not', () => {
  const people = [
    { peerId: '12D3KooWAliceMartin01', name: 'Alice Martin' },
    { peerId: '12D3KooWImpostor0002', name: '  alice   MARTIN ' },
    { peerId: '12D3KooWChloe0000003', name: 'Chloé' },
    { peerId: '12D3KooWChloe0000004', name: 'chloe' },
    { peerId: '12D3KooWBruno0000005', name: 'Bruno' },
    { peerId: '12D3KooWBrunoPetit06', name: 'Bruno Petit' }
  ]
  assert.deepEqual([...sharingAName(people)].sort(), ['12D3KooWAliceMartin01', '12D3KooWChloe0000003', '12D3KooWChloe0000004', '12D3KooWImpostor0002'])
})

test('one person listed twice shares a name with nobody', () => {
  assert.equal(sharingAName([{ peerId: 'p1', name: 'Alice' }, { peerId: 'p1', name: 'Alice' }]).size, 0)
})

test('the user herself counts: a colleague taking her name is tagged, and so is she; a rename ends it', () => {
  let selfName = 'Alice'
  let version = 0
  const contacts = [{ peerId: '12D3KooWColleague0001', name: 'ALICE' }, { peerId: '12D3KooWBruno0000002', name: 'Bruno' }]
  const names = new SharedNames({ selfPeerId: '12D3KooWSelf00000009', selfName: () => selfName, contacts: () => contacts, contactsVersion: () => version })
  assert.equal(names.tagOf('12D3KooWColleague0001'), nameTagOf('12D3KooWColleague0001'))
  assert.equal(names.tagOf('12D3KooWColleague0001'), 'ague0001')
  assert.equal(names.tagOf('12D3KooWSelf00000009'), 'f00000009'.slice(-8))
  assert.equal(names.tagOf('12D3KooWBruno0000002'), undefined)

  selfName = 'Alice Martin'
  assert.equal(names.tagOf('12D3KooWColleague0001'), undefined, 'the user renamed: nobody shares "ALICE" now')

  contacts[1] = { peerId: '12D3KooWBruno0000002', name: 'alice' }
  version++
  assert.equal(names.tagOf('12D3KooWBruno0000002'), 'uno0000002'.slice(-8), 'Bruno renamed himself "alice"')
  assert.equal(names.tagOf('12D3KooWColleague0001'), 'ague0001')
  assert.deepEqual(names.changedSinceAsked(), [])

  contacts[1] = { peerId: '12D3KooWBruno0000002', name: 'Bruno' }
  version++
  assert.deepEqual(names.changedSinceAsked().sort(), ['12D3KooWBruno0000002', '12D3KooWColleague0001'], 'both views are announced again')
  assert.equal(names.tagOf('12D3KooWColleague0001'), undefined)
})
