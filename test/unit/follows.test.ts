// Which messages group under the one before (MessageList, ChannelPane): a grouped message shows its
// signature mark at the end of its text, so a message without text shows its own header.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { follows } from '../../ui/src/chat/follows.js'

const first = { author: 'alice', time: 1_000_000, text: 'The figures for Friday' }

test('a message of the same author within five minutes joins the group', () => {
  assert.equal(follows(first, { author: 'alice', time: first.time + 60_000, text: 'and the chart' }), true)
})

test('another author, five minutes later, or nothing before starts a group', () => {
  assert.equal(follows(first, { author: 'bruno', time: first.time + 1_000, text: 'thanks' }), false)
  assert.equal(follows(first, { author: 'alice', time: first.time + 5 * 60_000, text: 'later' }), false)
  assert.equal(follows(undefined, first), false)
})

test('a file sent alone, without text, starts a group of its own', () => {
  assert.equal(follows(first, { author: 'alice', time: first.time + 1_000, text: '' }), false)
})
