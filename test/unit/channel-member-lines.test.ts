// The joined/left lines of a channel's timeline (ui/src/channels/member-lines.ts): each change stands
// after the messages that came before it and before those after it; changes older than the first
// loaded message wait while older pages remain; the words name who did what ("You" for us).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChannelMemberChange, ChannelMessageView } from '../../core/api/schema.js'
import { memberLineText, withMemberLines } from '../../ui/src/channels/member-lines.js'

const message = (id: string, time: number): ChannelMessageView =>
  ({ id, channel: 'c', author: 'alice', authorName: 'Alice', direction: 'in', text: id, time, arrived: time, seq: time })
const change = (kind: ChannelMemberChange['kind'], time: number, peerId = 'chloe', by = peerId): ChannelMemberChange =>
  ({ id: `${kind}${time}`, kind, peerId, name: peerId === 'chloe' ? 'Chloé' : 'Alice', by, byName: by === 'chloe' ? 'Chloé' : 'Alice', time })

test('lines stand among the messages by time; older ones wait for their page', () => {
  const posts = [message('m10', 10), message('m20', 20), message('m30', 30)]
  const changes = [change('leave', 25), change('join', 15), change('create', 5, 'alice'), change('invite', 40, 'chloe', 'alice')]
  const ids = (rows: ReturnType<typeof withMemberLines>): string[] => rows.map(r => r.kind === 'message' ? r.message.id : r.change.kind)
  assert.deepEqual(ids(withMemberLines(posts, changes, false)), ['create', 'm10', 'join', 'm20', 'leave', 'm30', 'invite'])
  assert.deepEqual(ids(withMemberLines(posts, changes, true)), ['m10', 'join', 'm20', 'leave', 'm30', 'invite'])
  assert.deepEqual(ids(withMemberLines([], changes, false)), ['create', 'join', 'leave', 'invite'])
})

test('the words of each line', () => {
  assert.equal(memberLineText(change('join', 1), 'alice'), 'Chloé joined')
  assert.equal(memberLineText(change('leave', 1), 'chloe'), 'You left')
  assert.equal(memberLineText(change('invite', 1, 'chloe', 'alice'), undefined), 'Alice added Chloé')
  assert.equal(memberLineText(change('remove', 1, 'chloe', 'alice'), 'chloe'), 'Alice removed you')
  assert.equal(memberLineText(change('create', 1, 'alice'), 'alice'), 'You created the channel')
})
