// The channel membership and replication logic over a real store (a temporary LevelDB): what a peer
// is told (tips) and sent (lacking), what is taken from it (only channels of our workspace that name
// us, entries that verify), and that a log reloads from the store as it was.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { encodeChannelEntry, parseChannelEntry, type ChannelEntry, type ChannelEntryBody } from '../../crypto/channel-entry.js'
import { newSenderChain, type ReceivedChain } from '../../crypto/e2e/sender-key.js'
import { channelConversationId, createChannel, type ChannelLog } from '../../crypto/channel-log.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { toBase64, toBase64Url } from '../../crypto/encoding.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import type { SignedEntry } from '../../crypto/membership-log.js'
import { randomBytes } from '../../crypto/random.js'
import { ChannelCatchUp } from '../../core/channels/catch-up.js'
import type { ChannelContext } from '../../core/channels/context.js'
import { encodeChannelFrame } from '../../core/protocol/channel-frame.js'
import { ChannelMembership } from '../../core/channels/membership.js'
import { ChannelReplicator } from '../../core/channels/replicator.js'
import { ChannelStore } from '../../core/channels/store.js'
import { isCausetteError } from '../../core/errors.js'
import { channelEntryEntry, type JournalEntry } from '../../core/journal/entry.js'
import { exportJournal } from '../../core/journal/export.js'
import { Journal, journalOrigin } from '../../core/journal/journal.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import type { BatchOp } from '../../core/store/batch.js'
import { openDatabase, type Database } from '../../core/store/database.js'
import { MAX_CHANNEL_HEADS, MAX_CHANNELS_PER_PEER } from '../../core/protocol/limits.js'
import { messageKey, type MessageRecord } from '../../core/store/records.js'
import { eventually } from '../helpers/nodes.js'

const WORKSPACE = toBase64Url(randomBytes(32))

function device (): { publicKey: Uint8Array, sign: (b: Uint8Array) => Uint8Array, peerId: string } {
  const seed = randomBytes(32)
  const publicKey = ed25519FromSeed(seed).publicKey
  return { publicKey, sign: ed25519Signer(seed), peerId: ed25519PeerId(publicKey) }
}

interface Replica { db: Database, store: ChannelStore, membership: ChannelMembership<unknown>, replicator: ChannelReplicator, context: ChannelContext<unknown>, journal: unknown[], signedJournal: Journal, changed: string[] }

async function replicaOf (t: TestContext, me: ReturnType<typeof device>, workspace = WORKSPACE, home?: string): Promise<Replica> {
  const dir = home ?? await mkdtemp(join(tmpdir(), 'causette-channel-'))
  if (home === undefined) t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const db = await openDatabase(dir)
  t.after(async () => { await db.close().catch(() => {}) })
  const store = await ChannelStore.load(db, nodeLogPrimitives, () => {})
  const journal: unknown[] = []
  const changed: string[] = []
  // The node's own journal, as `causette log export` reads it; channel entries go in with the records they belong to.
  const signedJournal = await Journal.open({ db: db.journal, sign: me.sign, publicKey: me.publicKey, origin: journalOrigin(me.peerId) })
  const isChannelEntry = (e: unknown): e is JournalEntry => (e as JournalEntry).kind === 'channel-entry'
  const context = {
    db,
    store,
    commit: {
      write: async (entries: unknown[], ops: BatchOp[]) => {
        journal.push(...entries)
        await signedJournal.append(entries.filter(isChannelEntry), ops)
      }
    },
    journal: { channelEntry: channelEntryEntry, senderKey: (k: unknown) => k },
    me: { peerId: me.peerId, deviceKey: me.publicKey, sign: me.sign },
    workspaceId: () => workspace,
    wasInWorkspace: () => true,
    replicate: () => {},
    changed: (c: { type: string }) => { changed.push(c.type) },
    now: Date.now
  } as unknown as ChannelContext<unknown>
  const membership = new ChannelMembership(context, () => {})
  const replicator = new ChannelReplicator({ getConnections: () => [] }, store, membership, () => true, () => {})
  return { db, store, membership, replicator, context, journal, signedJournal, changed }
}

/** A full export of the replica's journal, as `causette log export` writes it, run through `causette log verify`'s verifier. */
async function exportVerifies (replica: Replica): Promise<void> {
  const lines: string[] = []
  for await (const line of exportJournal(replica.signedJournal, {}, async () => undefined)) lines.push(line)
  await verifyExport(lines, nodeLogPrimitives)
}

/** An entry validly signed by `by` after the log's heads, whether or not the rules would take it (a hostile peer's). */
function signedAfterHeads (log: ChannelLog, by: ReturnType<typeof device>, body: Exclude<ChannelEntryBody, { kind: 'create' }>): SignedEntry {
  const heads = log.heads()
  const clockOf = new Map(log.entries().map(e => [toBase64(nodeLogPrimitives.sha256(e.bytes)), parseChannelEntry(e.bytes).clock]))
  const clock = 1 + Math.max(...heads.map(h => clockOf.get(toBase64(h))!))
  const parents = [...heads].sort((a, b) => toBase64(a) < toBase64(b) ? -1 : 1)
  const bytes = encodeChannelEntry({ channel: log.channelId, parents, clock, signer: by.publicKey, time: Date.now(), ...body })
  return { bytes, signature: by.sign(bytes) }
}

/** Moves what `from` has for `to` (as the protocol would), returning the entries moved. */
async function exchange (from: Replica, to: Replica, toPeer: string): Promise<number> {
  let moved = 0
  for (const frame of from.replicator.lacking(toPeer, [])) {
    await to.replicator.receive('peer', frame)
    moved += frame.entries.length
  }
  return moved
}

describe('channel replication', () => {
  it('entries received child first are journaled parents first, as the journal verifier reads them', async (t) => {
    const alice = device()
    const bruno = device()
    const log = createChannel(nodeLogPrimitives, alice, { workspace: WORKSPACE, name: 'x', topic: '' }, Date.now())
    log.append(alice, { kind: 'invite', device: bruno.publicKey }, Date.now())
    const b = await replicaOf(t, bruno)
    await b.membership.receive(log.channelId, log.entries())
    const first = log.append(alice, { kind: 'topic', topic: 'one' }, Date.now())
    const second = log.append(alice, { kind: 'topic', topic: 'two' }, Date.now())
    b.journal.length = 0
    await b.membership.receive(log.channelId, [second, first])
    assert.deepEqual(b.journal.map(e => (e as { entry: string }).entry), [first, second].map(e => toBase64(e.bytes)))
  })

  it('refuses an entry signed by a device no create or invite made a member, journals nothing of it, and the export still verifies', async (t) => {
    const [alice, bruno, carla, outsider] = [device(), device(), device(), device()]
    const log = createChannel(nodeLogPrimitives, alice, { workspace: WORKSPACE, name: 'x', topic: '' }, Date.now())
    log.append(alice, { kind: 'invite', device: bruno.publicKey }, Date.now())
    const b = await replicaOf(t, bruno)
    await b.membership.receive(log.channelId, log.entries())
    // A hostile member forwards the outsider's entries: validly signed, named after the heads, never invited.
    const intruding = signedAfterHeads(log, outsider, { kind: 'topic', topic: 'hijacked' })
    const invitingItself = signedAfterHeads(log, outsider, { kind: 'invite', device: outsider.publicKey })
    // In the same frame, child first: Carla, invited on this branch, sets the topic.
    const invite = log.append(alice, { kind: 'invite', device: carla.publicKey }, Date.now())
    const topic = log.append(carla, { kind: 'topic', topic: 'launch' }, Date.now())
    const frame = { channel: log.channelId, entries: [topic, intruding, invitingItself, invite].map(e => ({ entry: e.bytes, signature: e.signature })), done: false, errorCode: '', errorMessage: '' }
    const before = b.signedJournal.size
    await assert.rejects(b.replicator.receive(alice.peerId, frame as Parameters<ChannelReplicator['receive']>[1]), (e: unknown) => isCausetteError(e, 'CHANNEL_NOT_INVITED'))
    const held = b.store.get(log.channelId)!.log
    for (const e of [intruding, invitingItself]) assert.equal(held.has(nodeLogPrimitives.sha256(e.bytes)), false, 'the outsider\'s entry is not held')
    assert.equal(held.state().topic, 'launch', 'what the member sent with it is taken')
    assert.equal(b.signedJournal.size, before + 2, 'only the invite and the topic are journaled')
    await exportVerifies(b)
  })

  it('a stored entry an older version took from a non-invited device is left out on reload, reported, and the channel kept', async (t) => {
    const [alice, outsider] = [device(), device()]
    const home = await mkdtemp(join(tmpdir(), 'causette-channel-'))
    t.after(async () => { await rm(home, { recursive: true, force: true }) })
    const a = await replicaOf(t, alice, WORKSPACE, home)
    const held = await a.membership.create('x', '')
    const channel = held.log.channelId
    await a.membership.act(channel, { kind: 'topic', topic: 'kept' })
    await a.db.root.batch(a.store.entryOps(channel, [signedAfterHeads(held.log, outsider, { kind: 'topic', topic: 'hijacked' })]))
    await a.db.close()
    const db = await openDatabase(home)
    t.after(async () => { await db.close().catch(() => {}) })
    const problems: unknown[] = []
    const store = await ChannelStore.load(db, nodeLogPrimitives, (_channel, error) => { problems.push(error) })
    assert.deepEqual(store.get(channel)?.log.heads(), held.log.heads())
    assert.equal(store.get(channel)?.log.state().topic, 'kept')
    assert.deepEqual(problems.map(p => (p as { code?: string }).code), ['CHANNEL_NOT_INVITED'])
  })

  it('an invitee gets the whole log unasked, a stranger nothing; entries flow both ways by heads', async (t) => {
    const [alice, bruno, stranger] = [device(), device(), device()]
    const a = await replicaOf(t, alice)
    const b = await replicaOf(t, bruno)
    const held = await a.membership.create('launch', 'topic')
    const channel = held.log.channelId
    assert.deepEqual(a.replicator.tips(bruno.peerId), [], 'not yet a member: not named')
    await a.membership.act(channel, { kind: 'invite', device: bruno.publicKey })
    assert.deepEqual(a.replicator.lacking(stranger.peerId, []), [])
    assert.equal(await exchange(a, b, bruno.peerId), 2)
    assert.equal(b.store.get(channel)?.log.state().members.length, 2)
    assert.ok(b.journal.length === 2 && b.changed.includes('channel'))
    // Bruno changes the topic: Alice lacks it, Bruno lacks nothing.
    await b.membership.act(channel, { kind: 'topic', topic: 'new topic' })
    const toAlice = b.replicator.lacking(alice.peerId, a.replicator.tips(bruno.peerId))
    assert.equal(toAlice.flatMap(f => f.entries).length, 1)
    for (const frame of toAlice) await a.replicator.receive(bruno.peerId, frame)
    assert.equal(a.store.get(channel)?.log.state().topic, 'new topic')
    assert.equal(a.replicator.lacking(bruno.peerId, b.replicator.tips(alice.peerId)).length, 0)
  })

  it('a removed member is still told (it learns of its removal); a second replica reloads the same log from the store', async (t) => {
    const [alice, bruno] = [device(), device()]
    const home = await mkdtemp(join(tmpdir(), 'causette-channel-'))
    t.after(async () => { await rm(home, { recursive: true, force: true }) })
    const a = await replicaOf(t, alice, WORKSPACE, home)
    const channel = (await a.membership.create('x', '')).log.channelId
    await a.membership.act(channel, { kind: 'invite', device: bruno.publicKey })
    await a.membership.act(channel, { kind: 'remove', device: bruno.publicKey })
    assert.equal(a.replicator.tips(bruno.peerId).length, 1)
    await a.db.close()
    const again = await replicaOf(t, alice, WORKSPACE, home)
    assert.deepEqual(again.store.get(channel)?.log.heads(), a.store.get(channel)?.log.heads())
  })

  it('our removal names the chains we hold of the member and how far each went; our leave, our own chains', async (t) => {
    const [alice, bruno, carla] = [device(), device(), device()]
    const a = await replicaOf(t, alice)
    const channel = (await a.membership.create('x', '')).log.channelId
    await a.membership.act(channel, { kind: 'invite', device: bruno.publicKey })
    await a.membership.act(channel, { kind: 'invite', device: carla.publicKey })
    // Bruno's two chains as Alice holds them (an old one read to 3, the current to 7), and her own chain, rotated once.
    const received = (generation: number, iteration: number): ReceivedChain => ({ chainId: randomBytes(16), generation, iteration, chainKey: randomBytes(32), signingKey: randomBytes(32), skipped: [], retiredAt: null })
    const chains = [received(1, 7), received(0, 3)]
    await a.context.commit.write([], [a.store.setSenderKey({ channelId: channel, sender: bruno.publicKey, chains })])
    const first = { ...newSenderChain(channel, alice.publicKey, Date.now()), iteration: 4 }
    const own = { ...newSenderChain(channel, alice.publicKey, Date.now(), first), iteration: 9 }
    await a.context.commit.write([], [a.store.setOwnChain(own)])
    const named = (entry: ChannelEntry): string[] => ('chains' in entry ? entry.chains ?? [] : []).map(c => `${toBase64(c.chainId)}<${c.next}`).sort()
    const departures = (): ChannelEntry[] => a.store.get(channel)!.log.entries().map(e => parseChannelEntry(e.bytes)).filter(e => e.kind === 'remove' || e.kind === 'leave')
    await a.membership.act(channel, { kind: 'remove', device: bruno.publicKey })
    assert.deepEqual(named(departures()[0]!), chains.map(c => `${toBase64(c.chainId)}<${c.iteration}`).sort())
    // Carla never sent: her removal names no chain ("none"), and she may post nothing after it.
    await a.membership.act(channel, { kind: 'remove', device: carla.publicKey })
    assert.match(new TextDecoder().decode(a.store.get(channel)!.log.entries().at(-1)!.bytes), /\nchains: none\n$/)
    await a.membership.act(channel, { kind: 'leave' })
    assert.deepEqual(named(departures()[2]!), [`${toBase64(own.chainId)}<9`, `${toBase64(first.chainId)}<4`].sort())
    await exportVerifies(a)
  })

  it('refuses a channel of another workspace, one that does not name us, and entries that do not verify', async (t) => {
    const [alice, bruno, carla] = [device(), device(), device()]
    const b = await replicaOf(t, bruno)
    const foreign = createChannel(nodeLogPrimitives, alice, { workspace: toBase64Url(randomBytes(32)), name: 'x', topic: '' }, Date.now())
    foreign.append(alice, { kind: 'invite', device: bruno.publicKey }, Date.now())
    await assert.rejects(b.membership.receive(foreign.channelId, foreign.entries()), (e: unknown) => isCausetteError(e, 'CHANNEL_WRONG_CHANNEL'))
    const notUs = createChannel(nodeLogPrimitives, alice, { workspace: WORKSPACE, name: 'x', topic: '' }, Date.now())
    notUs.append(alice, { kind: 'invite', device: carla.publicKey }, Date.now())
    await assert.rejects(b.membership.receive(notUs.channelId, notUs.entries()), (e: unknown) => isCausetteError(e, 'CHANNEL_NOT_MEMBER'))
    const ours = createChannel(nodeLogPrimitives, alice, { workspace: WORKSPACE, name: 'x', topic: '' }, Date.now())
    const invite = ours.append(alice, { kind: 'invite', device: bruno.publicKey }, Date.now())
    const forged = { bytes: invite.bytes, signature: randomBytes(64) }
    await assert.rejects(b.membership.receive(ours.channelId, [ours.entries()[0]!, forged]), (e: unknown) => isCausetteError(e, 'CHANNEL_BAD_SIGNATURE'))
    assert.equal(b.store.get(ours.channelId), undefined, 'nothing kept of a log that did not verify')
    // Our own actions keep the log's codes: only the owner removes.
    assert.equal(await b.membership.receive(ours.channelId, ours.entries()), 2)
    await assert.rejects(b.membership.act(ours.channelId, { kind: 'remove', device: alice.publicKey }), (e: unknown) => isCausetteError(e, 'CHANNEL_NOT_OWNER'))
    await assert.rejects(b.membership.act('nope', { kind: 'leave' }), (e: unknown) => isCausetteError(e, 'NOT_FOUND'))
  })

  it('tips name at most the channels and heads a peer reads in one frame: past them it refused the frame and the whole exchange', async (t) => {
    const [alice, bruno] = [device(), device()]
    const a = await replicaOf(t, alice)
    const logs = Array.from({ length: MAX_CHANNELS_PER_PEER + 6 }, (_, at) => createChannel(nodeLogPrimitives, device(), { workspace: WORKSPACE, name: `open ${at}`, topic: '', open: true }, Date.now()))
    // The longest log, with more concurrent heads than a tip may name: named, with its newest heads.
    const forked = logs.at(-1)!
    forked.append(alice, { kind: 'join' }, Date.now())
    const forks = Array.from({ length: MAX_CHANNEL_HEADS + 6 }, (_, at) => signedAfterHeads(forked, alice, { kind: 'topic', topic: `fork ${at}` }))
    for (const fork of forks) forked.add(fork)
    for (const log of logs) a.store.adopt(log)
    const tips = a.replicator.tips(bruno.peerId)
    assert.equal(tips.length, MAX_CHANNELS_PER_PEER)
    assert.equal(tips.find(tip => tip.channel === forked.channelId)?.heads.length, MAX_CHANNEL_HEADS)
  })
})

describe('channel catch-up', () => {
  it('serves a member what it lacks of an author, only what was sent while it was a member, in seq order', async (t) => {
    const [alice, bruno, carla] = [device(), device(), device()]
    const a = await replicaOf(t, alice)
    const held = await a.membership.create('x', '')
    const channel = held.log.channelId
    const conversation = channelConversationId(channel)
    const store = async (seq: number): Promise<void> => {
      const m = { id: `m${seq}`, conversation, direction: 'out', author: alice.peerId, peer: channel, text: '{"text":"x"}', salt: '', statement: '', signature: '', time: 1000 + seq, seq, state: 'sent', stateTime: 0, stateTimes: {}, verified: true, channel, group: Buffer.from(encodeChannelFrame({ group: randomBytes(40), heads: held.log.heads(), to: '' })).toString('base64') } as MessageRecord
      await a.db.messages.put(messageKey(conversation, m.time, m.id), m)
    }
    await store(1) // before Bruno
    await a.membership.act(channel, { kind: 'invite', device: bruno.publicKey })
    await store(2)
    await store(3)
    await a.membership.act(channel, { kind: 'remove', device: bruno.publicKey })
    await a.membership.act(channel, { kind: 'invite', device: carla.publicKey })
    await store(4) // after Bruno's removal
    const sent: Array<{ peer: string, author: string }> = []
    const catchUp = new ChannelCatchUp(a.context, { send: async (peer, envelope) => { sent.push({ peer, author: envelope.author }); return { id: '', errorCode: '', errorMessage: '' } } })
    const ask = (peer: string, contiguous = 0) => catchUp.answer(peer, [{ conversation, author: alice.peerId, contiguous, above: [] }], 100)
    assert.equal(await ask(bruno.peerId), 2, 'Bruno: seqs 2 and 3, nothing before his joining nor after his removal')
    assert.equal(await ask(carla.peerId), 1, 'Carla: seq 4')
    // Once her first answer has gone (one answer per peer at a time: undefined, busy, until then).
    assert.equal(await eventually(async () => await ask(carla.peerId, 4), 10_000, 'her first answer to be sent'), 0, 'nothing she holds')
    assert.equal(await ask(ed25519PeerId(device().publicKey)), 0, 'a stranger: nothing')
    assert.ok(sent.every(s => s.author === alice.peerId))
    // What a member asks for: one entry per author of the channels it shares with the peer.
    assert.deepEqual(catchUp.heads(bruno.peerId), [], 'not a member any more: nothing shared')
    assert.deepEqual(catchUp.heads(carla.peerId).map(h => h.author), [carla.peerId])
  })
})
