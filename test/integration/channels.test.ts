// Channels between real nodes on loopback in one workspace: the lifecycle (create, invite, message,
// thread, reaction, leave, remove, archive) with membership changes racing message traffic; every
// member converges to the same member list and messages; and a removed member's node, which carries
// the channel's group messages for an absent member after its removal, cannot decrypt any of them
// with everything its profile holds (checked on the bytes it received, read from its database).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ChannelLog } from '../../crypto/channel-log.js'
import { fromBase64 } from '../../crypto/encoding.js'
import { decodeGroupMessage, decryptGroupMessage } from '../../crypto/e2e/sender-key.js'
import { senderKeyRecordFromJson } from '../../crypto/e2e/sender-key-json.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import type { ChannelMessageView } from '../../core/api/schema.js'
import { decodeChannelFrame, isChannelFrame } from '../../core/protocol/channel-frame.js'
import { isCausetteError } from '../../core/errors.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import type { CausetteNode } from '../../core/node/node.js'
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'
import { openDatabase } from '../../core/store/database.js'
import { valueEncryption } from '../../core/store/value-encryption.js'
import { startApiServer } from '../../core/api/server.js'
import { runCli } from '../../core/cli/run.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { addressOf, eventually, testNode } from '../helpers/nodes.js'

const texts = (messages: ChannelMessageView[]): string[] => messages.map(m => m.text).sort()

test('a channel: create, invite, messages, thread and reaction reach every member', async (t) => {
  const { nodes: [alice, bruno, carla] } = await workspaceOf(t, ['Alice', 'Bruno', 'Carla']) as { nodes: CausetteNode[] }
  const channel = await alice!.createChannel('project-x', 'the X launch')
  await alice!.inviteToChannel(channel.id, [bruno!.peerId, 'Carla'])
  for (const node of [bruno!, carla!]) await eventually(async () => (await node.channels()).find(c => c.id === channel.id && c.members.length === 3), 20_000, 'the channel at every member')
  const first = await alice!.sendToChannel(channel.id, 'kick-off at ten')
  const reply = await bruno!.sendToChannel('project-x', 'I will be there', { replyTo: first.id })
  // One reacts to a message one holds.
  await eventually(async () => (await carla!.channelMessages(channel.id)).find(m => m.id === first.id), 20_000, 'the first message at Carla')
  await carla!.amendChannelMessage(channel.id, first.id, { kind: 'reaction', emoji: '👍', removed: false })
  for (const node of [alice!, bruno!, carla!]) {
    // A reaction is shown on the message it names, not as a message of its own.
    const messages = await eventually(async () => { const m = await node.channelMessages(channel.id); return m.length === 2 && m.some(x => x.reactions !== undefined) ? m : undefined }, 20_000, 'two messages, one with a reaction')
    assert.deepEqual(texts(messages), ['I will be there', 'kick-off at ten'])
    assert.deepEqual(messages.find(m => m.id === first.id)?.reactions?.map(r => [r.emoji, r.count, r.authors[0]?.peerId]), [['👍', 1, carla!.peerId]])
    assert.equal(messages.find(m => m.id === reply.id)?.replyTo, first.id)
    assert.equal(messages.find(m => m.id === reply.id)?.replyToHeld, true)
    assert.equal((await node.channelMessages(channel.id, { thread: first.id })).length, 2)
    // Pages: the newest two before a time, oldest first; everything since a time (times of arrival here).
    const newest = Math.max(...messages.map(m => m.arrived!))
    const page = await node.channelMessages(channel.id, { before: newest + 1, limit: 2 })
    assert.deepEqual(page.map(m => m.id), messages.slice(-2).map(m => m.id))
    assert.equal((await node.channelMessages(channel.id, { since: Math.min(...messages.map(m => m.arrived!)) - 1 })).length, 2)
  }
})

/** The node's journal entries of one kind, from an export the auditor's verifier accepts. */
async function journalEntries (node: CausetteNode, kind: string): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = []
  for await (const line of node.exportJournal({})) lines.push(line)
  const report = await verifyExport(lines, nodeLogPrimitives)
  // Honest channel and 1:1 traffic: every message in its own conversation (a channel message read by one member included).
  assert.deepEqual(report.conversationFindings, [])
  return lines.filter(line => line.startsWith('entry ')).map(line => JSON.parse(Buffer.from(line.split(' ')[3]!, 'base64').toString('utf8')) as Record<string, unknown>)
    .filter(entry => entry.kind === kind)
}

const memberIds = async (node: CausetteNode, channel: string): Promise<string> => await node.channel(channel).then(c => c.members.map(m => m.peerId).join(','), () => '')

/** Every node shows the same member list, and it is `expected`. */
async function converged (nodes: CausetteNode[], channel: string, expected: CausetteNode[]): Promise<void> {
  const want = expected.map(n => n.peerId).sort().join(',')
  for (const node of nodes) {
    await eventually(async () => (await memberIds(node, channel)).split(',').sort().join(',') === want || undefined, 30_000, `${(await node.status()).name} to see the members converge`)
  }
  const lists = await Promise.all(nodes.map(async n => await memberIds(n, channel)))
  assert.ok(lists.every(l => l === lists[0]), 'the same member list, in the same order, everywhere')
}

async function messagesOf (node: CausetteNode, channel: string, count: number): Promise<ChannelMessageView[]> {
  return await eventually(async () => { const m = await node.channelMessages(channel, { limit: 1000 }); return m.length >= count ? m : undefined }, 30_000, `${count} messages at ${(await node.status()).name}`)
}

const ids = (messages: ChannelMessageView[]): string => messages.map(m => m.id).sort().join(',')

/**
 * What a profile holds that could read a group message: its channel logs, every sender key record,
 * and the bytes it received (carried for others, or parked for lack of a key). Read after its node stopped.
 */
async function profileHoldings (home: string): Promise<{ frames: Uint8Array[], records: ReturnType<typeof senderKeyRecordFromJson>[], log: (channel: string) => ChannelLog }> {
  const { masterKey } = await loadOrCreateDeviceKeys(home)
  const db = await openDatabase(home, valueEncryption(masterKey))
  try {
    const frames: Uint8Array[] = []
    for await (const value of db.carried.values()) frames.push(fromBase64(value.sealed))
    for await (const value of db.parkedGroup.values()) frames.push(fromBase64(value.frame))
    const records = []
    for await (const json of db.senderKeys.values()) records.push(senderKeyRecordFromJson(json))
    const entries = new Map<string, Array<{ bytes: Uint8Array, signature: Uint8Array }>>()
    for await (const [key, value] of db.channelEntries.iterator()) {
      const channel = key.slice(0, key.indexOf('!'))
      entries.set(channel, [...entries.get(channel) ?? [], { bytes: fromBase64(value.bytes), signature: fromBase64(value.signature) }])
    }
    return { frames: frames.filter(isChannelFrame), records, log: channel => ChannelLog.verify(nodeLogPrimitives, entries.get(channel)!) }
  } finally {
    await db.close()
  }
}

test('channel lifecycle with membership changes racing traffic: members converge; a removed member cannot decrypt what follows, on the wire', async (t) => {
  const { nodes: [alice, bruno, carla, dave], homes } = await workspaceOf(t, ['Alice', 'Bruno', 'Carla', 'Dave']) as { nodes: CausetteNode[], homes: string[] }
  const channel = (await alice!.createChannel('launch', 'ship it')).id
  await alice!.inviteToChannel(channel, [bruno!.peerId, carla!.peerId, dave!.peerId])
  await converged([alice!, bruno!, carla!, dave!], channel, [alice!, bruno!, carla!, dave!])

  // Everyone talks while Carla leaves and Bruno changes the topic.
  const burst = async (node: CausetteNode, label: string, n: number): Promise<ChannelMessageView[]> => {
    const sent = []
    for (let i = 0; i < n; i++) sent.push(await node.sendToChannel(channel, `${label} ${i}`))
    return sent
  }
  const [fromAlice, fromBruno, fromDave, fromCarla] = await Promise.all([
    burst(alice!, 'alice', 5),
    burst(bruno!, 'bruno', 5),
    burst(dave!, 'dave', 5),
    burst(carla!, 'carla', 3).then(async sent => { await carla!.leaveChannel(channel); return sent }),
    bruno!.updateChannel(channel, { topic: 'ship it on friday' })
  ])
  const thread = await dave!.sendToChannel(channel, 'what about the docs?', { replyTo: fromAlice![0]!.id })
  await eventually(async () => (await alice!.channelMessages(channel, { thread: thread.id })).length === 1 || undefined, 20_000, 'Dave\'s thread at Alice')
  await alice!.amendChannelMessage(channel, thread.id, { kind: 'reaction', emoji: '✅', removed: false })
  await converged([alice!, bruno!, carla!, dave!], channel, [alice!, bruno!, dave!])
  assert.equal((await carla!.channel(channel)).member, false)
  const everything = [...fromAlice!, ...fromBruno!, ...fromDave!, ...fromCarla!].length + 1 // and the thread (a reaction is not listed)
  const held = await Promise.all([alice!, bruno!, dave!].map(async n => await messagesOf(n, channel, everything)))
  assert.ok(held.every(m => ids(m) === ids(held[0]!)), 'the remaining members hold the same messages')
  for (const node of [alice!, bruno!, dave!]) assert.equal((await node.channel(channel)).topic, 'ship it on friday')
  assert.equal((await bruno!.channelMessages(channel, { thread: thread.id })).length, 1)
  await assert.rejects(carla!.sendToChannel(channel, 'still here?'), (e: unknown) => isCausetteError(e, 'CHANNEL_NOT_MEMBER'))

  // Bruno goes away. Alice removes Dave while Dave is still talking, and invites Carla back.
  const brunoId = bruno!.peerId
  await bruno!.stop()
  const race = await Promise.allSettled([
    alice!.removeFromChannel(channel, dave!.peerId),
    burst(dave!, 'dave during removal', 3),
    alice!.inviteToChannel(channel, [carla!.peerId])
  ])
  assert.equal(race[0].status, "fulfilled")
  await converged([alice!, carla!, dave!], channel, [alice!, bruno!, carla!])
  await assert.rejects(dave!.removeFromChannel(channel, alice!.peerId), (e: unknown) => isCausetteError(e, 'CHANNEL_NOT_MEMBER'))

  // After the removal: Alice's next messages go with a new chain Dave never gets. Dave, still a
  // workspace member, carries them for the absent Bruno: the bytes reach his node.
  const after = await burst(alice!, 'after the removal', 3)
  const daveId = dave!.peerId
  const carriedFromAlice = async (): Promise<number> => (await journalEntries(dave!, 'carry'))
    .filter(e => e.action === 'held' && e.author === alice!.peerId && e.recipient === brunoId).reduce((n, e) => n + (e.count as number), 0)
  await eventually(async () => await carriedFromAlice() >= 4 || undefined, 30_000, 'Dave to carry Alice\'s messages for Bruno')
  await dave!.stop()
  const dave_ = await profileHoldings(homes[3]!)
  const log = dave_.log(channel)
  const daveKey = fromBase64((await alice!.peers()).find(p => p.peerId === daveId)!.deviceKey)
  const aliceKey = fromBase64((await carla!.peers()).find(p => p.peerId === alice!.peerId)!.deviceKey)
  assert.ok(dave_.records.some(r => r.channelId === channel && Buffer.from(r.sender).equals(Buffer.from(aliceKey))), 'Dave holds Alice\'s earlier chain')
  const afterRemoval = dave_.frames.map(f => decodeChannelFrame(f)).filter(f => !log.wasMemberAt(daveKey, f.heads))
  assert.ok(afterRemoval.length >= after.length, `Dave's node received ${afterRemoval.length} group messages sent after his removal`)
  for (const frame of afterRemoval) {
    const message = decodeGroupMessage(frame.group)
    assert.equal(message.channelId, channel)
    for (const record of dave_.records) assert.throws(() => decryptGroupMessage(record, message), /E2E_|sender key|record/)
  }

  // Bruno comes back: what he missed reaches him through the carriers and the outboxes.
  const brunoAgain = await testNode(t, { name: 'Bruno', home: homes[1]!, peers: [addressOf(alice!)] })
  const atAlice = await messagesOf(alice!, channel, everything + after.length)
  await eventually(async () => ids(await brunoAgain.channelMessages(channel, { limit: 1000 })) === ids(await alice!.channelMessages(channel, { limit: 1000 })) || undefined, 30_000, 'Bruno to hold what Alice holds')
  assert.ok(atAlice.length >= everything + after.length)
  await converged([alice!, brunoAgain, carla!], channel, [alice!, brunoAgain, carla!])
  // Carla, invited again, reads from her new joining on.
  await messagesOf(carla!, channel, fromCarla!.length + after.length)

  // The owner archives; nothing is sent after, and nobody else may archive or remove.
  await assert.rejects(brunoAgain.updateChannel(channel, { archived: true }), (e: unknown) => isCausetteError(e, 'CHANNEL_NOT_OWNER'))
  await alice!.updateChannel(channel, { archived: true })
  await eventually(async () => (await brunoAgain.channel(channel)).archived || undefined, 30_000, 'Bruno to see the archive')
  await assert.rejects(brunoAgain.sendToChannel(channel, 'too late'), (e: unknown) => isCausetteError(e, 'CHANNEL_ARCHIVED'))

  // The journals: every membership change with its signed entry; sender keys named, never given.
  const changes = await journalEntries(alice!, 'channel-entry')
  assert.deepEqual(changes.map(e => e.change).sort(), ['archive', 'create', 'invite', 'invite', 'invite', 'invite', 'leave', 'remove', 'topic'])
  assert.ok(changes.every(e => typeof e.entry === 'string' && typeof e.signature === 'string' && e.channel === channel))
  const keys = await journalEntries(alice!, 'sender-key')
  assert.ok(keys.some(e => e.direction === 'sent') && keys.some(e => e.direction === 'received'))
  for (const entry of keys) assert.deepEqual(Object.keys(entry).sort(), ['chain', 'channel', 'direction', 'generation', 'kind', 'peer', 'time'])
})

test('causette channel ... and the API, as a user would, with clear refusals for bad input', async (t) => {
  const { nodes: [alice, bruno], homes } = await workspaceOf(t, ['Alice', 'Bruno']) as { nodes: CausetteNode[], homes: string[] }
  const server = await startApiServer({ node: alice!, home: homes[0]!, port: 0 })
  t.after(async () => { await server.close() })
  const cli = async (...args: string[]): Promise<{ code: number, out: string, err: string }> => {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli([...args, '--home', homes[0]!], { out: l => out.push(l), err: l => err.push(l), env: {} })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }
  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await cli(...args, '--json')
    assert.equal(result.code, 0, `causette ${args.join(' ')}: ${result.err}`)
    return JSON.parse(result.out) as T
  }
  const created = await json<{ id: string, name: string }>('channel', 'create', 'design', 'review', '--topic', 'the new logo')
  assert.equal(created.name, 'design review')
  const invited = await json<{ members: Array<{ name: string, owner: boolean }> }>('channel', 'invite', 'design review', 'Bruno')
  assert.deepEqual(invited.members.map(m => [m.name, m.owner]), [['Alice', true], ['Bruno', false]])
  await eventually(async () => (await bruno!.channels()).find(c => c.id === created.id), 20_000, 'Bruno to learn of the channel')
  const sent = await json<{ id: string }>('channel', 'send', created.id, 'first', 'draft', 'attached')
  await json('channel', 'react', created.id, sent.id, '🎉')
  await json('channel', 'send', created.id, 'looks good', '--reply', sent.id)
  const thread = await json<Array<{ text: string, reactions?: Array<{ emoji: string }> }>>('channel', 'messages', created.id, '--thread', sent.id)
  assert.deepEqual(thread.map(m => [m.text, m.reactions?.map(r => r.emoji)]), [['first draft attached', ['🎉']], ['looks good', undefined]])
  await eventually(async () => (await bruno!.channelMessages(created.id)).length === 2 || undefined, 20_000, 'Bruno to get the two messages')
  assert.equal((await json<{ topic: string }>('channel', 'topic', created.id, 'the logo, v2')).topic, 'the logo, v2')
  assert.equal(typeof (await json<{ mutedUntil: number | null }>('channel', 'mute', created.id, '--for', '30')).mutedUntil, 'number')
  assert.equal((await json<{ mutedUntil?: number | null }>('channel', 'mute', created.id, '--off')).mutedUntil, undefined)
  const listed = await cli('channel', 'list')
  assert.match(listed.out, /design review/)
  assert.equal((await json<Array<{ members: unknown[] }>>('channel', 'remove', created.id, 'Bruno') as unknown as { members: unknown[] }).members.length, 1)
  assert.equal((await json<{ archived: boolean }>('channel', 'archive', created.id)).archived, true)

  // Refusals: a usage error exits 2 with the usage; a refused action exits 1 with its reason.
  const unknown = await cli('channel', 'rename', created.id)
  assert.equal(unknown.code, 2)
  assert.match(unknown.err, /unknown subcommand/)
  const archived = await cli('channel', 'send', created.id, 'hello?')
  assert.equal(archived.code, 1)
  assert.match(archived.err, /archived/)
  assert.equal((await cli('channel', 'show', 'no such channel')).code, 1)
  const post = async (path: string, body: unknown): Promise<Response> => await fetch(`${server.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const badName = await post('/channels', { name: '' })
  assert.equal(badName.status, 400)
  assert.equal(((await badName.json()) as { error: { code: string } }).error.code, 'BAD_REQUEST')
  const notFound = await post('/channels/nope/messages', { text: 'hi' })
  assert.equal(notFound.status, 404)
  const bad = await post(`/channels/${created.id}/messages/${sent.id}/reactions`, { emoji: 'two words' })
  assert.equal(bad.status, 400)
  const notOwner = await bruno!.updateChannel(created.id, { archived: true }).catch((e: unknown) => e)
  assert.ok(isCausetteError(notOwner), String(notOwner))
})
