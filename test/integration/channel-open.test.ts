// Open channels between real nodes on loopback: an open channel is announced to every member of
// the workspace (its log, no content), any member joins it by its own signed entry, leaves and
// rejoins; every node lists the same joined/added/left/removed changes, which stand among the
// messages by time. A private channel stays invisible to non-members, and a self-join forged with a
// non-member's own device key, sent over the channels protocol, is refused by every member: nothing
// changes and nothing is journaled (their exports still verify). `causette channel browse | join`.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { encodeChannelEntry, parseChannelEntry } from '../../crypto/channel-entry.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { randomBytes } from '../../crypto/random.js'
import { fromBase64 } from '../../crypto/encoding.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { ChannelLog, createChannel } from '../../crypto/channel-log.js'
import type { SignedEntry } from '../../crypto/membership-log.js'
import type { ChannelView } from '../../core/api/schema.js'
import { startApiServer } from '../../core/api/server.js'
import { runCli } from '../../core/cli/run.js'
import { isCausetteError } from '../../core/errors.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import type { CausetteNode } from '../../core/node/node.js'
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'
import { exchangeChannels } from '../../core/protocol/channel-protocol.js'
import { MAX_CHANNEL_ENTRIES_PER_SIGNER, MAX_CHANNELS_PER_CREATOR } from '../../core/protocol/limits.js'
import type { ChannelEntries } from '../../core/protocol/wire.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { addressOf, eventually } from '../helpers/nodes.js'
import { bareNode } from './workspace-peer.js'

/** The node's journaled entries of a channel, from an export the auditor's verifier accepts. */
async function channelEntries (node: CausetteNode, channel: string): Promise<SignedEntry[]> {
  const lines: string[] = []
  for await (const line of node.exportJournal({})) lines.push(line)
  await verifyExport(lines, nodeLogPrimitives)
  return lines.filter(line => line.startsWith('entry '))
    .map(line => JSON.parse(Buffer.from(line.split(' ')[3]!, 'base64').toString('utf8')) as { kind: string, channel: string, entry: string, signature: string })
    .filter(entry => entry.kind === 'channel-entry' && entry.channel === channel)
    .map(entry => ({ bytes: fromBase64(entry.entry), signature: fromBase64(entry.signature) }))
}

const memberNames = (view: ChannelView): string => view.members.map(m => m.name).join(',')
const lines = (view: ChannelView): string[] => view.changes.map(c => `${c.byName} ${c.kind} ${c.name}`)

async function sees (node: CausetteNode, channel: string, members: string): Promise<ChannelView> {
  return await eventually(async () => { const view = await node.channel(channel).catch(() => undefined); return view !== undefined && memberNames(view) === members ? view : undefined }, 30_000, `${(await node.status()).name} to see ${members} in the channel`)
}

test('open channels: announced to all, joined, left and rejoined; lines in order; a private one refuses a self-join at every member', async (t) => {
  const { nodes, homes } = await workspaceOf(t, ['Alice', 'Bruno', 'Chloé', 'Dan']) as { nodes: CausetteNode[], homes: string[] }
  const [alice, bruno, chloe, dan] = nodes as [CausetteNode, CausetteNode, CausetteNode, CausetteNode]
  const secret = await alice.createChannel('secret', 'the surprise')
  await alice.inviteToChannel(secret.id, ['Bruno'])
  const general = await alice.createChannel('general', 'everything else', { open: true })
  assert.equal(general.open, true)
  assert.equal(secret.open, false)

  // Announced: every member of the workspace holds the open channel, not as a member.
  for (const node of [bruno, chloe, dan]) {
    const seen = await sees(node, general.id, 'Alice')
    assert.deepEqual([seen.open, seen.member, seen.topic], [true, false, 'everything else'])
  }
  await sees(bruno, secret.id, 'Alice,Bruno')

  // Chloé joins in one call; everyone converges; messages flow both ways.
  await chloe.joinChannel('general')
  for (const node of nodes) await sees(node, general.id, 'Alice,Chloé')
  const welcome = await alice.sendToChannel(general.id, 'welcome Chloé')
  await eventually(async () => (await chloe.channelMessages(general.id)).some(m => m.id === welcome.id) || undefined, 30_000, 'Chloé to read the welcome')
  await chloe.sendToChannel(general.id, 'thanks')
  await eventually(async () => (await alice.channelMessages(general.id)).some(m => m.text === 'thanks') || undefined, 30_000, 'Alice to read the thanks')
  await assert.rejects(chloe.joinChannel(general.id), (e: unknown) => isCausetteError(e, 'CHANNEL_ALREADY_MEMBER'))

  await alice.inviteToChannel(general.id, ['Bruno'])
  await alice.removeFromChannel(general.id, 'Bruno')
  await eventually(async () => (await chloe.channel(general.id)).changes.length === 4 || undefined, 30_000, 'Chloé to learn of the removal before she leaves')
  await chloe.leaveChannel(general.id)
  for (const node of nodes) await sees(node, general.id, 'Alice')
  // Chloé left, and still finds the channel: it is open, she may come back.
  const left = await chloe.channel(general.id)
  assert.deepEqual([left.member, left.open], [false, true])
  await chloe.joinChannel(general.id)
  const expected = ['Alice create Alice', 'Chloé join Chloé', 'Alice invite Bruno', 'Alice remove Bruno', 'Chloé leave Chloé', 'Chloé join Chloé']
  for (const node of nodes) assert.deepEqual(lines(await sees(node, general.id, 'Alice,Chloé')), expected)
  // The lines stand among the messages by time: the welcome after Chloé joined, before she left.
  const changes = (await alice.channel(general.id)).changes
  assert.ok(changes[1]!.time <= welcome.time && welcome.time <= changes[4]!.time)

  // The CLI: Dan browses, sees what is open and who to ask for the rest, and joins in one command.
  const server = await startApiServer({ node: dan, home: homes[3]!, port: 0 })
  t.after(async () => { await server.close() })
  const cli = async (...args: string[]): Promise<string> => {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli([...args, '--home', homes[3]!], { out: l => out.push(l), err: l => err.push(l), env: {} })
    assert.equal(code, 0, `causette ${args.join(' ')}: ${err.join('\n')}`)
    return out.join('\n')
  }
  assert.match(await cli('channel', 'browse'), /general\s+open\s+2\s+join it\s+everything else/)
  assert.doesNotMatch(await cli('channel', 'list'), /general/)
  assert.match(await cli('channel', 'join', 'general'), /access\s+open to the workspace/)
  assert.match(await cli('channel', 'list'), /general/)
  for (const node of nodes) await sees(node, general.id, 'Alice,Chloé,Dan')

  // A private channel: invisible to Dan, and his own signed join, sent to each member over the
  // channels protocol, is refused; and so is an open channel he made with a throwaway key, which
  // would otherwise be announced to the whole office in no one's name. Each frame is followed by a
  // valid topic of his in #general: once a member shows that topic, it has dealt with those before it.
  await assert.rejects(dan.joinChannel(secret.id), (e: unknown) => isCausetteError(e, 'NOT_FOUND'))
  const { keys } = await loadOrCreateDeviceKeys(homes[3]!)
  const danSigns = { publicKey: keys.device.publicKey, sign: ed25519Signer(keys.device.seed) }
  const secretLog = ChannelLog.verify(nodeLogPrimitives, await channelEntries(alice, secret.id))
  const [head] = secretLog.heads()
  const join = encodeChannelEntry({ kind: 'join', channel: secret.id, parents: [head!], clock: secretLog.size, signer: danSigns.publicKey, time: Date.now() })
  assert.throws(() => secretLog.add({ bytes: join, signature: danSigns.sign(join) }), (e: unknown) => (e as { code?: string }).code === 'CHANNEL_NOT_INVITED')
  const generalLog = ChannelLog.verify(nodeLogPrimitives, await channelEntries(dan, general.id))
  const asDan = await bareNode(t, keys.device.seed)
  const throwaway = randomBytes(32)
  const workspace = (await alice.workspaceView())!.id
  const ghost = createChannel(nodeLogPrimitives, { publicKey: ed25519FromSeed(throwaway).publicKey, sign: ed25519Signer(throwaway) }, { workspace, name: 'layoffs', topic: 'who goes first', open: true }, Date.now())
  const ghostFrame: ChannelEntries = { channel: ghost.channelId, entries: ghost.entries().map(e => ({ entry: e.bytes as Uint8Array<ArrayBuffer>, signature: e.signature as Uint8Array<ArrayBuffer> })), done: false, errorCode: '', errorMessage: '' }
  for (const member of [alice, bruno]) {
    const checked = `checked by ${(await member.status()).name}`
    const topic = generalLog.append(danSigns, { kind: 'topic', topic: checked }, Date.now())
    const frame = (channel: string, entry: { bytes: Uint8Array, signature: Uint8Array }): ChannelEntries => ({ channel, entries: [{ entry: entry.bytes as Uint8Array<ArrayBuffer>, signature: entry.signature as Uint8Array<ArrayBuffer> }], done: false, errorCode: '', errorMessage: '' })
    const connection = await asDan.dial(multiaddr(addressOf(member)))
    await exchangeChannels(connection, { tips: () => [], lacking: () => [frame(secret.id, { bytes: join, signature: danSigns.sign(join) }), ghostFrame, frame(general.id, topic)], receive: async () => {} })
    await eventually(async () => (await member.channel(general.id)).topic === checked || undefined, 30_000, 'the frame after the join dealt with')
    await connection.close()
    assert.equal(memberNames(await member.channel(secret.id)), 'Alice,Bruno')
    assert.deepEqual((await channelEntries(member, secret.id)).map(e => parseChannelEntry(e.bytes).kind), ['create', 'invite'])
    assert.equal((await member.channels()).some(c => c.id === ghost.channelId), false, 'a channel created by a device that was never a member is not held')
  }
  for (const node of [chloe, dan]) assert.equal((await node.channels()).some(c => c.id === secret.id), false, 'a private channel stays invisible to non-members')

  // Dan turns hostile in #general, with entries a person never signs, each sent to Alice alone.
  // (The connection stays open: Alice may still be reading the frames when the exchange returns.)
  const toAlice = async (frames: ChannelEntries[]): Promise<void> => {
    await exchangeChannels(await asDan.dial(multiaddr(addressOf(alice))), { tips: () => [], lacking: () => frames, receive: async () => {} })
  }
  const frames = (channel: string, entries: SignedEntry[]): ChannelEntries[] => Array.from({ length: Math.ceil(entries.length / 128) }, (_, at) => ({ channel, entries: entries.slice(at * 128, at * 128 + 128).map(e => ({ entry: e.bytes as Uint8Array<ArrayBuffer>, signature: e.signature as Uint8Array<ArrayBuffer> })), done: false, errorCode: '', errorMessage: '' }))
  // 70 topics on the same parents: 70 heads, past the 64 a tips frame may name. Before the fix
  // Alice's tips were refused by every peer with the whole exchange: Bruno never got them.
  const concurrent = Array.from({ length: 70 }, (_, at) => signAfter(generalLog, generalLog.heads(), danSigns, { kind: 'topic', topic: `fork ${at}` }))
  for (const entry of concurrent) generalLog.add(entry)
  await toAlice(frames(general.id, concurrent))
  await eventually(async () => (await bruno.channel(general.id)).topic.startsWith('fork ') || undefined, 30_000, 'Bruno to get the forks through Alice')
  // Leaving and coming back 64 times: each departure made every later fold of the log costlier (a
  // thousand froze every node holding the channel for seconds at each change); the 64th return has no effect.
  const returns = Array.from({ length: 128 }, (_, at) => signAfter(generalLog, generalLog.heads().slice(-32), danSigns, { kind: at % 2 === 0 ? 'leave' : 'join' }, true))
  await toAlice(frames(general.id, returns))
  await sees(alice, general.id, 'Alice,Chloé')
  // One channel more than a member may have held: open ones, which every desk would list and pass
  // on. A topic in the first, sent after them, says when Alice has dealt with them all.
  const spam = Array.from({ length: MAX_CHANNELS_PER_CREATOR + 1 }, (_, at) => createChannel(nodeLogPrimitives, danSigns, { workspace, name: `spam ${at}`, topic: '', open: true }, Date.now()))
  const topicIn = (log: ChannelLog, topic: string): SignedEntry => signAfter(log, log.heads(), danSigns, { kind: 'topic', topic }, true)
  await toAlice([...spam.flatMap(log => frames(log.channelId, log.entries())), ...frames(spam[0]!.channelId, [topicIn(spam[0]!, 'after the spam')])])
  await eventually(async () => (await alice.channel(spam[0]!.channelId).catch(() => undefined))?.topic === 'after the spam' || undefined, 60_000, 'Alice to deal with the spam')
  assert.equal((await alice.channels()).filter(c => c.owner === dan.peerId).length, MAX_CHANNELS_PER_CREATOR)
  // More entries by one device in a channel than the bound: the rest are refused (CHANNEL_LIMIT), not held.
  const [flooded, marker] = spam as [ChannelLog, ChannelLog]
  const flood = Array.from({ length: 1_100 }, (_, at) => topicIn(flooded, `flood ${at}`))
  await toAlice([...frames(flooded.channelId, flood), ...frames(marker.channelId, [topicIn(marker, 'after the flood')])])
  await eventually(async () => (await alice.channel(marker.channelId)).topic === 'after the flood' || undefined, 60_000, 'Alice to deal with the flood')
  const kept = MAX_CHANNEL_ENTRIES_PER_SIGNER.perChannel - 3 // its create, open and first topic came before
  assert.equal((await alice.channel(flooded.channelId)).topic, `flood ${kept - 1}`)
  assert.equal((await channelEntries(alice, flooded.channelId)).length, MAX_CHANNEL_ENTRIES_PER_SIGNER.perChannel)
})

/** Dan's entry after `heads` of his copy of the log, signed as he likes, added to that copy (`hold`) or not. */
function signAfter (log: ChannelLog, heads: Uint8Array[], signer: { publicKey: Uint8Array, sign: (bytes: Uint8Array) => Uint8Array }, body: { kind: 'topic', topic: string } | { kind: 'join' } | { kind: 'leave' }, hold = false): SignedEntry {
  const parents = heads.map(h => ({ h, text: Buffer.from(h).toString('base64') })).sort((a, b) => a.text < b.text ? -1 : 1).map(p => p.h)
  const clocks = log.entries().filter(e => heads.some(h => Buffer.from(nodeLogPrimitives.sha256(e.bytes)).equals(h))).map(e => parseChannelEntry(e.bytes).clock)
  const bytes = encodeChannelEntry({ channel: log.channelId, parents, clock: 1 + Math.max(...clocks), signer: signer.publicKey, time: Date.now(), ...body })
  const entry = { bytes, signature: signer.sign(bytes) }
  if (hold) log.add(entry)
  return entry
}
