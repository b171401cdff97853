// Fuzzing every protocol a real node serves (as it announces them over identify), first while it is
// open (no workspace), then as a member of its workspace: garbage, frames damaged or cut short,
// length prefixes past every limit or never ending, streams closed at once or reset half-way, and
// valid frames replayed (sealed envelopes already delivered, a join request already used, the log
// itself). Every stream must end (closed, reset, or refused) within a bound, every answer must carry
// a stable error code, and afterwards a colleague's message is delivered and status() answers.
// FUZZ_SEED=<seed> replays a failure; FUZZ_RUNS=<n> sets the cases per protocol and phase.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import fc from 'fast-check'
import { ERROR_CODES, workspaceCodeOf } from '../../core/errors.js'
import { PRESENCE_ERROR_CODES } from '../../core/presence/errors.js'
import { PHOTO_PROTOCOL, PRESENCE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { PhotoAnswer, PhotoRequest } from '../../core/protocol/photo.js'
import { CARRY_PROTOCOL, CHANNEL_PROTOCOL, MESSAGE_PROTOCOL, RECORD_PROTOCOL, SYNC_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { ABUSE_ERROR_CODES } from '../../core/protocol/peer-limits.js'
import { PresenceAck } from '../../core/protocol/presence.js'
import { Ack, CarryAck, CarryDeposit, ChannelEntries, ChannelHeads, Envelope, SignedRecord, SyncAnswer, SyncRequest } from '../../core/protocol/wire.js'
import { EntriesFrame, JoinRequestFrame, MembersHead } from '../../core/protocol/workspace.js'
import { entryFrames } from '../../core/protocol/workspace-entries.js'
import { JOIN_PROTOCOL, MEMBERS_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import type { CausetteNode } from '../../core/node/node.js'
import { verifyDeviceRecord } from '../../crypto/device-record.js'
import { equals } from '../../crypto/encoding.js'
import { fuzzParameters, FuzzTally } from '../helpers/fuzz-decoding.js'
import { admit, connectTo, FuzzIdentities, type FuzzPeer } from '../helpers/fuzz-identities.js'
import { fuzzPeer, interact, interactions } from '../helpers/fuzz-peer.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'
import { publicKeyOf, rawPeer } from '../helpers/raw-peer.js'

/** Well past any protocol's own timeout (sync, join, members: 10 s), even on a loaded machine: a stream still open after it hangs. */
const BOUND_MS = 30_000
const CASES_PER_PROTOCOL = 100

const KNOWN_CODES = new Set<string>([...ERROR_CODES, ...PRESENCE_ERROR_CODES, ...ABUSE_ERROR_CODES])
/**
 * Every protocol of ours ends a stream whose length prefix never ends while the peer keeps it open
 * (core/protocol/length-prefix.ts); libp2p's own (identify, ping) are not fuzzed that way.
 */
const refusesEndlessPrefix = (protocol: string): boolean => protocol.startsWith('/causette/')
const tally = new FuzzTally()

/** An answer frame's error code: none, or one of our stable codes. */
function coded (frame: { errorCode: string, errorMessage: string }, protocol: string): void {
  assert.ok(frame.errorCode === '' || KNOWN_CODES.has(frame.errorCode), `${protocol} answered code "${frame.errorCode}" (${frame.errorMessage})`)
}

/** Protocols whose first answer frame is of another kind (a head) than the rest. */
const eachFrame = (rest: { decode: (b: Uint8Array) => { errorCode: string, errorMessage: string } }, first?: { decode: (b: Uint8Array) => unknown }) =>
  (frames: Uint8Array[], protocol: string): void => {
    frames.forEach((frame, i) => { if (i === 0 && first !== undefined) first.decode(frame); else coded(rest.decode(frame), protocol) })
  }

/** What each protocol may answer; a protocol not listed here is held to ending in time. */
const answers: Record<string, (frames: Uint8Array[], protocol: string, target: CausetteNode) => void> = {
  [MESSAGE_PROTOCOL]: eachFrame(Ack),
  [RECORD_PROTOCOL]: (frames, _, target) => {
    for (const frame of frames) {
      const signed = SignedRecord.decode(frame)
      assert.ok(equals(verifyDeviceRecord(signed.record, signed.signature).device, publicKeyOf(target)), 'the node answers with its own record')
    }
  },
  [JOIN_PROTOCOL]: eachFrame(EntriesFrame),
  [MEMBERS_PROTOCOL]: eachFrame(EntriesFrame, MembersHead),
  [CARRY_PROTOCOL]: eachFrame(CarryAck),
  [SYNC_PROTOCOL]: eachFrame(SyncAnswer),
  [PRESENCE_PROTOCOL]: eachFrame(PresenceAck),
  [PHOTO_PROTOCOL]: eachFrame(PhotoAnswer),
  [CHANNEL_PROTOCOL]: eachFrame(ChannelEntries, ChannelHeads)
}

/** Runs the fuzz cases of one protocol over the identities' connections. */
async function fuzzProtocol (target: CausetteNode, identities: FuzzIdentities, protocol: string, valid: Uint8Array[], label: string): Promise<void> {
  const name = `${protocol} (${label})`
  await fc.assert(fc.asyncProperty(interactions(valid, { endless: refusesEndlessPrefix(protocol) }), async (interaction) => {
    const ending = await interact(await identities.connection(), protocol, interaction, BOUND_MS)
    if (ending.how === 'refused') identities.lost()
    answers[protocol]?.(ending.frames, protocol, target)
    tally.count(name, ending.frames.length > 0 ? `${ending.how} after answering` : ending.why !== undefined ? `${ending.how} (${ending.why})` : ending.how)
  }), fuzzParameters(CASES_PER_PROTOCOL))
  // With valid frames among the cases, some must get past the door to an answer: otherwise the
  // cases never reached the handler, and a handler refusing everything would pass.
  if (valid.length > 0) assert.ok(tally.outcomes(name).some(outcome => outcome.endsWith('after answering')), `${name} never answered a case: ${tally.outcomes(name).join(', ')}`)
}

async function stillServes (t: TestContext, target: CausetteNode, join: string): Promise<void> {
  // The fuzzers dialled from this host (127.0.0.1) too and may have used up its connection rate for
  // a moment (libp2p's per-host limit); a colleague on another machine would not share it: retry.
  const colleague = await eventually(async () => await testNode(t, { name: 'colleague', peers: [addressOf(target)], join }).catch(error => {
    if (workspaceCodeOf(error) === 'JOIN_UNREACHABLE') return undefined
    throw error
  }), 60_000, 'the colleague admitted')
  await waitForPeer(colleague, target.peerId, 60_000)
  const sent = await colleague.send(target.peerId, 'still there?')
  await eventually(async () => (await colleague.messages({ with: target.peerId, limit: 10 })).find(m => m.id === sent.id && m.state === 'delivered'), 60_000, 'the colleague\'s message delivered')
  const status = await target.status()
  assert.equal(status.peerId, target.peerId)
}

test('every protocol of a node ends fuzzed streams in time with coded answers, and the node keeps serving', { timeout: 300_000 }, async (t) => {
  const target = await testNode(t, { name: 'target' })

  // Sealed envelopes delivered once: every later use of them is a replay, refused as one by
  // their own sender's connection (within the few refusals a peer may earn before it is cut off).
  const sender = await rawPeer(t)
  const stream = await sender.open(target)
  const captured: Uint8Array[] = []
  for (let i = 0; i < 3; i++) {
    const sealed = await sender.seal(target, `captured ${i}`)
    await stream.sendSealed(sealed)
    assert.equal((await stream.ack()).errorCode, '')
    captured.push(Envelope.encode({ sealed: sealed as Uint8Array<ArrayBuffer> }))
  }
  await stream.stream.close()
  await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(...captured), { minLength: 1, maxLength: 2 }), async (frames) => {
    const ending = await interact(sender.libp2p.getConnections().find(c => c.remotePeer.toString() === target.peerId)!, MESSAGE_PROTOCOL, { kind: 'frames', frames }, BOUND_MS)
    for (const frame of ending.frames) assert.match(Ack.decode(frame).errorCode, /^(E2E_REPLAY|REPLAY)$/)
    tally.count(`${MESSAGE_PROTOCOL} (replayed by its sender)`, `${ending.how} after answering`)
  }), fuzzParameters(8))
  assert.equal((await target.messages({ limit: 10 })).length, captured.length, 'each captured message is stored once')

  // Phase 1: a node without a workspace, open to any peer.
  let peer: FuzzPeer
  const open = new FuzzIdentities(async () => { peer = await fuzzPeer(t); return await connectTo(peer, target) })
  await open.connection()
  const protocols = (await peer!.protocolsOf(target)).filter(p => p.startsWith('/causette/')).sort()
  t.diagnostic(`protocols served: ${protocols.join(' ')}`)
  for (const known of [MESSAGE_PROTOCOL, RECORD_PROTOCOL, JOIN_PROTOCOL, MEMBERS_PROTOCOL]) assert.ok(protocols.includes(known), known)
  const conversation = (await target.conversations())[0]!.id
  const valid: Record<string, Uint8Array[]> = {
    [MESSAGE_PROTOCOL]: captured,
    // A captured envelope handed to the node to carry for its own sender, and a catch-up request for the conversation.
    [CARRY_PROTOCOL]: captured.map(frame => CarryDeposit.encode({ recipient: sender.libp2p.peerId.toString(), sealed: Envelope.decode(frame).sealed })),
    [SYNC_PROTOCOL]: [SyncRequest.encode({ conversations: [{ conversation, contiguous: 1, above: [3], author: '' }] })],
    [PHOTO_PROTOCOL]: [PhotoRequest.encode({ sha256: new Uint8Array(32) })]
  }
  for (const protocol of protocols) await fuzzProtocol(target, open, protocol, valid[protocol] ?? [], 'open')

  // Phase 2: the node creates a workspace; each fuzz identity is admitted as a member first.
  await target.createWorkspace('Fuzz')
  let joined: Awaited<ReturnType<typeof admit>> | undefined
  const members = new FuzzIdentities(async () => {
    peer = await fuzzPeer(t)
    joined = await admit(t, target, peer)
    return await connectTo(peer, target)
  })
  await members.connection()
  const log = target.workspace.membership.log!
  valid[JOIN_PROTOCOL] = [JoinRequestFrame.encode({ request: joined!.proof.request, requestSignature: joined!.proof.requestSignature, inviteSignature: joined!.proof.inviteSignature } as JoinRequestFrame)]
  valid[MEMBERS_PROTOCOL] = [MembersHead.encode({ workspace: log.workspaceId, length: log.length, head: log.head } as MembersHead), ...entryFrames(log.entries()).map(f => EntriesFrame.encode(f))]
  for (const protocol of protocols) await fuzzProtocol(target, members, protocol, valid[protocol] ?? [], 'member')
  // An invitee's connection (made with the key of a code, used since) reaches the join protocol alone.
  const invitee = new FuzzIdentities(async () => (await admit(t, target, await fuzzPeer(t))).inviteeConnection)
  await fuzzProtocol(target, invitee, JOIN_PROTOCOL, valid[JOIN_PROTOCOL], 'invitee')

  t.diagnostic(`fuzz identities whose connection the node closed: ${open.cutOff} open, ${members.cutOff} members, ${invitee.cutOff} invitees`)
  for (const line of tally.lines()) t.diagnostic(line)
  const code = (await target.createInvite({ role: 'member', expiresMs: 3_600_000 })).code
  await stillServes(t, target, code)
})
