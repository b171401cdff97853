// The joined/left lines of a channel's timeline (ui/src/channels/member-lines.ts): each change stands
// after the messages that came before it and before those after it; changes older than the first
// loaded message wait while older pages remain; changes of one kind made together read as one line;
// the words name who did what ("You" for us).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChannelMemberChange, ChannelMessageView } from '../../core/api/schema.js'
import { memberLineParts, memberLineText, withMemberLines } from '../../ui/src/channels/member-lines.js'

const message = (id: string, time: number): ChannelMessageView =>
  ({ id, channel: 'c', author: 'alice', authorName: 'Alice', direction: 'in', text: id, time, arrived: time, seq: time })
const NAMES: Record<string, string> = { alice: 'Alice', bruno: 'Bruno', carla: 'Carla', chloe: 'Chloé', david: 'David', emma: 'Emma' }
const change = (kind: ChannelMemberChange['kind'], time: number, peerId = 'chloe', by = peerId): ChannelMemberChange =>
  ({ id: `${kind}${time}${peerId}`, kind, peerId, name: NAMES[peerId]!, by, byName: NAMES[by]!, time })
const rowsOf = (rows: ReturnType<typeof withMemberLines>): string[] =>
  rows.map(r => r.kind === 'message' ? r.message.id : r.changes.map(c => `${c.kind}:${c.peerId}`).join('+'))

test('lines stand among the messages by time; older ones wait for their page', () => {
  const posts = [message('m10', 10), message('m20', 20), message('m30', 30)]
  const changes = [change('leave', 25), change('join', 15), change('create', 5, 'alice'), change('invite', 40, 'chloe', 'alice')]
  assert.deepEqual(rowsOf(withMemberLines(posts, changes, false)), ['create:alice', 'm10', 'join:chloe', 'm20', 'leave:chloe', 'm30', 'invite:chloe'])
  assert.deepEqual(rowsOf(withMemberLines(posts, changes, true)), ['m10', 'join:chloe', 'm20', 'leave:chloe', 'm30', 'invite:chloe'])
  assert.deepEqual(rowsOf(withMemberLines([], changes, false)), ['create:alice', 'join:chloe', 'leave:chloe', 'invite:chloe'])
})

test('changes of one kind made together, with no message between, read as one line', () => {
  const invites = ['bruno', 'carla', 'chloe'].map((peerId, index) => change('invite', 100 + index, peerId, 'alice'))
  assert.deepEqual(rowsOf(withMemberLines([], [change('create', 99, 'alice'), ...invites], false)), ['create:alice', 'invite:bruno+invite:carla+invite:chloe'])
  // A message between, another signer, another kind or a minute later starts a new line.
  assert.deepEqual(rowsOf(withMemberLines([message('m', 101)], invites, false)), ['invite:bruno+invite:carla', 'm', 'invite:chloe'])
  assert.deepEqual(rowsOf(withMemberLines([], [invites[0]!, change('invite', 101, 'carla', 'david')], false)), ['invite:bruno', 'invite:carla'])
  assert.deepEqual(rowsOf(withMemberLines([], [change('join', 1, 'bruno'), change('join', 2, 'carla'), change('leave', 3, 'bruno')], false)), ['join:bruno+join:carla', 'leave:bruno'])
  assert.deepEqual(rowsOf(withMemberLines([], [change('join', 0, 'bruno'), change('join', 60_000, 'carla')], false)), ['join:bruno', 'join:carla'])
})

test('the words of each line', () => {
  assert.equal(memberLineText([change('join', 1)], 'alice'), 'Chloé joined')
  assert.equal(memberLineText([change('leave', 1)], 'chloe'), 'You left')
  assert.equal(memberLineText([change('invite', 1, 'chloe', 'alice')], undefined), 'Alice added Chloé')
  assert.equal(memberLineText([change('remove', 1, 'chloe', 'alice')], 'chloe'), 'Alice removed you')
  assert.equal(memberLineText([change('create', 1, 'alice')], 'alice'), 'You created the channel')
})

test('a line of many names shows two and counts the others, all of them once expanded', () => {
  const invited = ['bruno', 'carla', 'chloe', 'david', 'emma'].map((peerId, index) => change('invite', index, peerId, 'alice'))
  assert.equal(memberLineText(invited.slice(0, 2), 'alice'), 'You added Bruno and Carla')
  assert.equal(memberLineText(invited.slice(0, 3), 'carla'), 'Alice added Bruno, you and Chloé')
  assert.deepEqual(memberLineParts(invited, 'alice'), { before: 'You added Bruno, Carla and ', others: 3, after: '' })
  assert.equal(memberLineText(invited, 'alice'), 'You added Bruno, Carla and 3 others')
  assert.equal(memberLineText(invited, 'alice', true), 'You added Bruno, Carla, Chloé, David and Emma')
  const joined = ['bruno', 'carla', 'chloe', 'david'].map((peerId, index) => change('join', index, peerId))
  assert.equal(memberLineText(joined, 'bruno'), 'You, Carla and 2 others joined')
})
