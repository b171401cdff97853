// Fuzzing every decoder of the tree with fast-check: random bytes and text, and valid input cut
// short, bit-flipped, spliced, repeated or reshuffled. Each decoder must return a value or throw the
// error it documents (its class and stable code), never a TypeError or anything else; a generated
// protobuf decoder throws protons-runtime's RangeError or Error, which its handler turns into a code.
// FUZZ_SEED=<seed> replays a failure (fast-check prints the seed); FUZZ_RUNS=<n> runs longer.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import { multiaddr } from '@multiformats/multiaddr'
import * as fileFrames from '../../core/protocol/file.js'
import { FileFrame, FileGrant, FileRequest } from '../../core/protocol/file.js'
import * as presenceFrames from '../../core/protocol/presence.js'
import * as photoFrames from '../../core/protocol/photo.js'
import { PhotoAnswer, PhotoRequest } from '../../core/protocol/photo.js'
import { checkPeerPhoto } from '../../core/profile/peer-photos.js'
import { photoRef } from '../../core/profile/photo.js'
import * as updateFrames from '../../core/protocol/update.js'
import { Chunk, UpdateAnnounce, UpdateRequest } from '../../core/protocol/update.js'
import * as wire from '../../core/protocol/wire.js'
import { Ack, CarryDeposit, ConversationHeads, Envelope, SignedRecord } from '../../core/protocol/wire.js'
import { decodeDeposit } from '../../core/protocol/carry-protocol.js'
import { MAX_CARRY_FILES } from '../../core/protocol/limits.js'
import * as workspaceFrames from '../../core/protocol/workspace.js'
import { EntriesFrame, JoinRequestFrame, LogEntry, MembersHead } from '../../core/protocol/workspace.js'
import { entryFrames, frameError, toWire } from '../../core/protocol/workspace-entries.js'
import { frameOptions } from '../../core/protocol/length-prefix.js'
import { MAX_ENTRIES_FRAME_BYTES, MAX_JOIN_REQUEST_FRAME_BYTES } from '../../core/protocol/workspace-limits.js'
import { decodeInviteCode, encodeInviteCode, parseInviteExpiry } from '../../core/workspace/invite-code.js'
import { parseBody } from '../../core/messaging/body.js'
import { decodeDistributionPayload, encodeDistributionPayload } from '../../core/channels/distribution.js'
import { decodeChannelFrame, encodeChannelFrame } from '../../core/protocol/channel-frame.js'
import { CausetteError, WorkspaceError } from '../../core/errors.js'
import { PresenceError } from '../../core/presence/errors.js'
import { parsePresence, signPresence, verifyPresence } from '../../core/presence/signed-presence.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { startupEntry } from '../../core/journal/entry.js'
import { AtRestError, open, seal } from '../../crypto/at-rest.js'
import { decodeBase64, encodeBase64 } from '../../crypto/base64.js'
import { DeviceRecordError, encodeDeviceRecord, parseDeviceRecord, signDeviceRecord, verifyDeviceRecord } from '../../crypto/device-record.js'
import { E2eError } from '../../crypto/e2e/errors.js'
import { decodePayload, decodeReceiptPayload, encodeReceiptPayload, openPayload, payloadKind } from '../../crypto/e2e/payload.js'
import { acceptDistribution, decodeDistribution, decodeGroupMessage, decryptGroupMessage, distributionOf, encodeDistribution, encryptGroupMessage, newSenderChain } from '../../crypto/e2e/sender-key.js'
import { ownSenderChainFromJson, ownSenderChainToJson, senderKeyRecordFromJson, senderKeyRecordToJson } from '../../crypto/e2e/sender-key-json.js'
import { sessionRecordFromJson, sessionRecordToJson } from '../../crypto/e2e/state-json.js'
import { decodeRatchetMessage } from '../../crypto/e2e/wire.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { concat, fromBase64, fromUtf8, toBase64Url, toHex, utf8 } from '../../crypto/encoding.js'
import { ChannelError, encodeChannelEntry, parseChannelEntry } from '../../crypto/channel-entry.js'
import { ChannelLog, createChannel } from '../../crypto/channel-log.js'
import { CanonicalJsonError, parseCanonicalJson } from '../../crypto/log/canonical-json.js'
import { ExportVerifier, LogVerificationError, type ExportReport } from '../../crypto/log/export-verifier.js'
import { checkEntry, EntryCheckError } from '../../crypto/log/verify-entry.js'
import { encodeEntry, encodeJoinRequest, MembershipError, parseEntry, parseJoinRequest } from '../../crypto/membership-entry.js'
import { MembershipLog, type SignedEntry } from '../../crypto/membership-log.js'
import { randomBytes } from '../../crypto/random.js'
import { sha256 } from '../../crypto/sha256.js'
import { formatCheckpoint, formatVerifierKey, noteKey, openNote, parseCheckpoint, parseNote, parseVerifierKey, signNote, SignedNoteError } from '../../crypto/signed-note.js'
import { encodeReceipt, parseReceipt, ReceiptError, type Receipt } from '../../crypto/receipt.js'
import { encodeStatement, parseStatement, StatementError } from '../../crypto/statement.js'
import { verifyStatement } from '../../crypto/statement-signature.js'
import { acceptsValid, coded, damagedBytes, damagedText, decodeOrRefuse, either, fuzzBytes, fuzzDecoders, fuzzJson, fuzzText, FuzzTally, varint, withValid, type Accepted, type Expected, type Outcome } from '../helpers/fuzz-decoding.js'
import { device as e2eDevice, pair, signedPayload } from './e2e-fixture.js'
import { bob, exportLines, memoryJournal, populate } from './journal-fixture.js'
import { admit, device as memberDevice, newLog, primitives as membershipPrimitives, proofFor, inviteKeys } from './membership-fixture.js'

/** The start of a JPEG (SOI, APP0 JFIF) and a few bytes: what a photo's magic check reads. */
const SAMPLE_JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 2, 3, 4, 5])

const tally = new FuzzTally()
after(() => { console.log(['fuzzed decoders:', ...tally.lines()].join('\n')) })

/** What protons-runtime throws for bytes that are not the message: a read past the end, or a bad wire type or varint. */
const protobufError: Expected = error => error instanceof RangeError || (error?.constructor === Error && /^invalid (wire type|varint encoding)/.test((error as Error).message))

/** Protobuf nested groups of an unknown field, deeper than the stack: the decoder recurses on them. */
const deepGroups = (bytes: number): Uint8Array => new Uint8Array(bytes).fill(0x7b)

/** What a text decoder accepts, its encoder writes back byte for byte: one spelling per value. */
function sameBytes<T> (encode: (value: T) => Uint8Array, value: T | undefined, bytes: Uint8Array): void {
  if (value !== undefined) assert.equal(fromUtf8(encode(value)), fromUtf8(bytes))
}

/** A property over decoders: each one it runs must both accept and refuse, unless `outcomes` says otherwise. */
const property = <T>(runs: number, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void, outcomes: Record<string, Outcome[]> = {}): void => {
  fuzzDecoders(tally, runs, arbitrary, predicate, outcomes)
}

/** What the join and members handlers make of a frame that does not decode (workspace-entries.ts). */
const asHandled = <T>(decode: () => T) => (): T => { try { return decode() } catch (error) { throw frameError(error) } }
const badFrame = coded(WorkspaceError, 'MEMBERS_BAD_FRAME')

/** A generated protobuf message's codec, found among a module's exports by its shape. */
interface Codec { encode: (value: Record<string, never>) => Uint8Array, decode: (bytes: Uint8Array) => unknown }
const codecsOf = (module: object): Array<[string, Codec]> =>
  Object.entries(module).filter((entry): entry is [string, Codec] => typeof entry[1]?.decode === 'function' && typeof entry[1]?.encode === 'function')

/**
 * A decoded message re-encodes, and what that encodes to is a fixed point: decoding and encoding it
 * again gives the same bytes (unknown fields are dropped on the first pass; a string field of invalid
 * UTF-8 decodes with lone surrogates, which encode as U+FFFD, so the first pass need not match).
 */
const reencodes = (codec: Codec): Accepted<unknown> => ({
  accepted: value => {
    const bytes = codec.encode(value as Record<string, never>)
    assert.deepEqual(codec.encode(codec.decode(bytes) as Record<string, never>), bytes)
  }
})

describe('every protobuf message of core/protocol (wire.ts, workspace.ts, presence.ts, update.ts)', () => {
  // Signed by its own device, so that a frame carrying it whole (repeated, say) verifies.
  const recordSeed = randomBytes(32)
  const record = signDeviceRecord(ed25519Signer(recordSeed), { device: ed25519FromSeed(recordSeed).publicKey, identityKey: randomBytes(32), prekeyId: 1, prekey: randomBytes(32), name: 'fuzz', color: '#123456', updated: 1 })
  const root = memberDevice('root')
  const log = newLog(root)
  admit(log, root, memberDevice('bob'))
  // One invite for the proof and its check: a fresh key for the check would refuse every frame.
  const invite = inviteKeys()
  const proof = proofFor(log, memberDevice('carol'), invite)
  // A real sealed message, so that what an envelope carries is accepted by its own decoder too.
  const sealed = pair().alice.send('sealed for the fuzz')
  const wireBytes = (length: number): Uint8Array<ArrayBuffer> => new Uint8Array(randomBytes(length))
  const attachmentIds = (count: number): string[] => Array.from({ length: count }, (_, index) => toHex(sha256(Uint8Array.of(index))))
  const announce: UpdateAnnounce = { running: '0.1.0', manifest: 'causette release 0.2.0', targets: ['linux-x64', 'win-x64'], pauseDecision: wireBytes(40), pauseSignature: wireBytes(64) }
  // Valid frames to damage, where a frame of defaults says little; every message also gets its defaults.
  const samples: Record<string, Uint8Array[]> = {
    Envelope: [Envelope.encode({ sealed: sealed as Uint8Array<ArrayBuffer> })],
    Ack: [Ack.encode({ id: toBase64Url(randomBytes(32)), errorCode: '', errorMessage: '' }), Ack.encode({ id: '', errorCode: 'BAD_FRAME', errorMessage: 'undecodable frame' })],
    CarryDeposit: [0, 1, MAX_CARRY_FILES, MAX_CARRY_FILES + 1].map(count => CarryDeposit.encode({ recipient: 'bruno', sealed: sealed as Uint8Array<ArrayBuffer>, files: attachmentIds(count) })),
    // Seqs of 2^31 and up: protons-runtime wrote a uint64 from 2^31 to 2^32 - 1 as zeros (CI's fuzz found it).
    ConversationHeads: [ConversationHeads.encode({ conversation: 'c', contiguous: 2 ** 31, above: [2 ** 31 + 1, 2 ** 32 - 1], author: '' })],
    SignedRecord: [SignedRecord.encode({ record: record.bytes as Uint8Array<ArrayBuffer>, signature: record.signature as Uint8Array<ArrayBuffer> })],
    LogEntry: log.entries().map(e => LogEntry.encode(toWire(e))),
    JoinRequestFrame: [JoinRequestFrame.encode({ request: proof.request, requestSignature: proof.requestSignature, inviteSignature: proof.inviteSignature } as JoinRequestFrame)],
    MembersHead: [MembersHead.encode({ workspace: log.workspaceId, length: log.length, head: log.head } as MembersHead)],
    EntriesFrame: [...entryFrames(log.entries()), { entries: [], errorCode: 'MEMBERSHIP_FORK', errorMessage: 'membership: the logs differ', more: false }].map(f => EntriesFrame.encode(f)),
    UpdateAnnounce: [UpdateAnnounce.encode(announce)],
    UpdateRequest: [UpdateRequest.encode({ announce }), UpdateRequest.encode({ fetch: { version: '0.2.0', target: 'linux-x64', first: 3 } })],
    Chunk: [Chunk.encode({ index: 3, data: wireBytes(64), proof: [wireBytes(32), wireBytes(32)], errorCode: '', errorMessage: '' }), Chunk.encode({ index: 0, data: new Uint8Array(0), proof: [], errorCode: 'UPDATE_NOT_HELD', errorMessage: 'not held' })],
    FileRequest: [FileRequest.encode({ fileId: 'f'.repeat(64), list: false, first: 7, grant: 8 }), FileRequest.encode({ fileId: 'abc', list: true, first: 0, grant: 0 }), FileRequest.encode({ fileId: 'abc', list: true, thenChunks: true, first: 0, grant: 8 })],
    FileGrant: [FileGrant.encode({ grant: 4 })],
    PhotoRequest: [PhotoRequest.encode({ sha256: wireBytes(32) })],
    PhotoAnswer: [PhotoAnswer.encode({ type: 'image/jpeg', photo: SAMPLE_JPEG as Uint8Array<ArrayBuffer>, errorCode: '', errorMessage: '' }), PhotoAnswer.encode({ type: '', photo: new Uint8Array(0), errorCode: 'NOT_FOUND', errorMessage: 'changed since' })],
    FileFrame: [FileFrame.encode({ head: { chunks: 3 } }), FileFrame.encode({ page: { entries: wireBytes(72) } }), FileFrame.encode({ chunk: { index: 2, data: wireBytes(100) } }), FileFrame.encode({ refusal: { code: 'TRANSFER_NOT_HELD', message: 'no' } })]
  }
  const modules = [
    { file: 'wire', module: wire, handled: <T>(decode: () => T) => decode, expected: protobufError },
    { file: 'workspace', module: workspaceFrames, handled: asHandled, expected: badFrame },
    { file: 'presence', module: presenceFrames, handled: <T>(decode: () => T) => decode, expected: protobufError },
    { file: 'update', module: updateFrames, handled: <T>(decode: () => T) => decode, expected: protobufError },
    { file: 'file', module: fileFrames, handled: <T>(decode: () => T) => decode, expected: protobufError },
    { file: 'photo', module: photoFrames, handled: <T>(decode: () => T) => decode, expected: protobufError }
  ]
  for (const { file, module, handled, expected } of modules) {
    for (const [name, codec] of codecsOf(module)) {
      it(`${file} ${name}: random and damaged frames decode, or fail as protobuf${file === 'workspace' ? ' (MEMBERS_BAD_FRAME)' : ''}`, () => {
        const valid = [codec.encode({}), ...samples[name] ?? []]
        for (const bytes of valid) acceptsValid(tally, `${file} ${name}`, () => codec.decode(bytes), reencodes(codec))
        property(2000, fuzzBytes(valid), bytes => { decodeOrRefuse(tally, `${file} ${name}`, handled(() => codec.decode(bytes)), expected, reencodes(codec)) })
        decodeOrRefuse(tally, `${file} ${name}`, handled(() => codec.decode(deepGroups(256 * 1024))), expected, reencodes(codec))
      })
    }
  }

  it('what a decoded frame carries goes on to its own decoder: a sealed message, a device record', () => {
    property(1500, fuzzBytes(samples.Envelope!), bytes => {
      const envelope = decodeOrRefuse(tally, 'wire Envelope', () => Envelope.decode(bytes), protobufError)
      if (envelope !== undefined) decodeOrRefuse(tally, 'e2e decodeRatchetMessage', () => decodeRatchetMessage(envelope.sealed), coded(E2eError, 'E2E_BAD_MESSAGE'))
    })
    property(1500, fuzzBytes(samples.SignedRecord!), bytes => {
      const signed = decodeOrRefuse(tally, 'wire SignedRecord', () => SignedRecord.decode(bytes), protobufError)
      if (signed !== undefined) decodeOrRefuse(tally, 'verifyDeviceRecord', () => verifyDeviceRecord(signed.record, signed.signature), coded(DeviceRecordError, 'BAD_DEVICE_RECORD'))
    })
    property(1500, fuzzBytes(samples.EntriesFrame!, 2048), bytes => {
      const frame = decodeOrRefuse(tally, 'workspace EntriesFrame', asHandled(() => EntriesFrame.decode(bytes)), badFrame)
      for (const entry of frame?.entries ?? []) decodeOrRefuse(tally, 'membership parseEntry', () => parseEntry(entry.bytes), coded(MembershipError, 'MEMBERSHIP_BAD_ENTRY'))
    })
    property(1500, fuzzBytes(samples.JoinRequestFrame!, 2048), bytes => {
      const frame = decodeOrRefuse(tally, 'workspace JoinRequestFrame', asHandled(() => JoinRequestFrame.decode(bytes)), badFrame)
      if (frame !== undefined) decodeOrRefuse(tally, 'membership checkJoinRequest', () => log.checkJoinRequest(frame, invite.publicKey), coded(MembershipError, 'MEMBERSHIP_BAD_JOIN_REQUEST'))
    })
  })

  it('a photo answer goes on to the photo check: the photo announced, or BAD_REQUEST or PAYLOAD_TOO_LARGE', () => {
    const announced = photoRef({ type: 'image/jpeg', bytes: SAMPLE_JPEG })
    property(2000, fuzzBytes(samples.PhotoAnswer!, 2048), bytes => {
      const answer = decodeOrRefuse(tally, 'photo PhotoAnswer', () => PhotoAnswer.decode(bytes), protobufError)
      if (answer !== undefined) decodeOrRefuse(tally, 'photo checkPeerPhoto', () => checkPeerPhoto(answer.photo, announced), coded(CausetteError, 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE'))
    })
  })

  it('a carry deposit as the carrier reads it: at most MAX_CARRY_FILES attachment ids, or a MaxLengthError', () => {
    const tooMany: Expected = error => (error as Error)?.name === 'MaxLengthError'
    property(2000, fuzzBytes(samples.CarryDeposit!, 4096), bytes => {
      const deposit = decodeOrRefuse(tally, 'wire CarryDeposit (carrier)', () => decodeDeposit(bytes), either(protobufError, tooMany))
      if (deposit !== undefined) assert.ok(deposit.files.length <= MAX_CARRY_FILES, `${deposit.files.length} attachment ids decoded`)
    })
    // Any number of ids: up to the bound they decode as sent, past it the frame is refused.
    property(300, fc.nat(3 * MAX_CARRY_FILES), count => {
      const bytes = CarryDeposit.encode({ recipient: 'bruno', sealed: wireBytes(40), files: attachmentIds(count) })
      const deposit = decodeOrRefuse(tally, 'wire CarryDeposit (carrier)', () => decodeDeposit(bytes), tooMany)
      assert.equal(deposit === undefined, count > MAX_CARRY_FILES)
      if (deposit !== undefined) assert.deepEqual(deposit.files, attachmentIds(count))
    })
  })

  it('the length prefix of a workspace frame: a length, one more byte wanted (RangeError), or MEMBERS_BAD_FRAME once too long', () => {
    property(3000, fc.tuple(fc.constantFrom(MAX_JOIN_REQUEST_FRAME_BYTES, MAX_ENTRIES_FRAME_BYTES), fc.uint8Array({ minLength: 1, maxLength: 12 })), ([max, prefix]) => {
      const { lengthDecoder } = frameOptions(max)
      const length = decodeOrRefuse(tally, 'workspace length prefix', asHandled(() => lengthDecoder(new Uint8ArrayList(prefix))), either(badFrame, error => error instanceof RangeError && prefix.length < 3))
      if (length !== undefined) assert.ok(Number.isSafeInteger(length) && length >= 0)
    })
    // Any length up to the limit decodes to itself.
    property(1000, fc.nat(MAX_ENTRIES_FRAME_BYTES), length => {
      assert.equal(frameOptions(MAX_ENTRIES_FRAME_BYTES).lengthDecoder(new Uint8ArrayList(varint(length))), length)
    })
  })
})

describe('the end-to-end layer (crypto/e2e)', () => {
  const alice = e2eDevice()
  const bobDevice = e2eDevice()
  const plaintext = signedPayload(alice, bobDevice, 'hello, fuzz')

  it('decodePayload refuses with E2E_BAD_PAYLOAD; openPayload adds BAD_STATEMENT', () => {
    // The payload itself among its damaged forms: a damaged one rarely still opens, and the property must see both outcomes.
    property(3000, withValid(plaintext, fuzzBytes([plaintext], 2048)), bytes => {
      decodeOrRefuse(tally, 'e2e decodePayload', () => decodePayload(bytes), coded(E2eError, 'E2E_BAD_PAYLOAD'))
      decodeOrRefuse(tally, 'e2e openPayload', () => openPayload(bytes), either(coded(E2eError, 'E2E_BAD_PAYLOAD'), coded(StatementError, 'BAD_STATEMENT')))
    })
    // Length fields at and past their bounds.
    property(1000, fc.tuple(fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 200 })), ([statementLength, bodyLength, rest]) => {
      const u32 = (n: number): Uint8Array => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n >>> 0); return b }
      const bytes = concat([Uint8Array.of(1), u32(statementLength), rest, u32(bodyLength), rest])
      decodeOrRefuse(tally, 'e2e decodePayload', () => decodePayload(bytes), coded(E2eError, 'E2E_BAD_PAYLOAD'))
    }, { 'e2e decodePayload': ['refused'] }) // random lengths: the previous property sees it accept
  })

  it('decodeRatchetMessage refuses with E2E_BAD_MESSAGE, and a session refuses a damaged message with an E2E code', () => {
    const { alice: a, bob: b } = pair()
    const messages = [a.send('first'), a.send('second')]
    property(3000, fuzzBytes(messages, 1024), bytes => {
      decodeOrRefuse(tally, 'e2e decodeRatchetMessage', () => decodeRatchetMessage(bytes), coded(E2eError, 'E2E_BAD_MESSAGE'))
    })
    // The messages as sent among their damaged forms, so that both outcomes are met in every run.
    property(1000, fc.oneof(fc.constantFrom(...messages), fc.constantFrom(...messages).chain(damagedBytes)), bytes => {
      // The receiving record is not kept: every case starts from the same session.
      decodeOrRefuse(tally, 'e2e receiveMessage', () => b.tryReceive(bytes), coded(E2eError))
    })
    decodeOrRefuse(tally, 'e2e decodeRatchetMessage', () => decodeRatchetMessage(new Uint8Array(300 * 1024)), coded(E2eError, 'E2E_BAD_MESSAGE'))
  })

  it('sessionRecordFromJson refuses any other JSON with E2E_BAD_STATE', () => {
    const { alice: a } = pair()
    a.send('a state with a sending chain')
    property(2500, fuzzJson(sessionRecordToJson(a.record!)), value => {
      decodeOrRefuse(tally, 'e2e sessionRecordFromJson', () => sessionRecordFromJson(value), coded(E2eError, 'E2E_BAD_STATE'))
    })
  })

  it('receipt payloads refuse with E2E_BAD_PAYLOAD; payloadKind names a message, a receipt, or refuses', () => {
    const receipt = encodeReceiptPayload({ receipt: encodeReceipt(sampleReceipt()), signature: randomBytes(64) })
    property(3000, fuzzBytes([receipt, plaintext], 1024), bytes => {
      decodeOrRefuse(tally, 'e2e payloadKind', () => payloadKind(bytes), coded(E2eError, 'E2E_BAD_PAYLOAD'))
      decodeOrRefuse(tally, 'e2e decodeReceiptPayload', () => decodeReceiptPayload(bytes), coded(E2eError, 'E2E_BAD_PAYLOAD'))
    })
  })

  it('sender keys: distributions and group messages refuse with E2E_BAD_MESSAGE, a damaged message with an E2E code, stored forms with E2E_BAD_STATE', () => {
    const sender = ed25519FromSeed(randomBytes(32)).publicKey
    const chain = newSenderChain('fuzz-channel', sender, 1_700_000_000_000)
    const { message, nextChain } = encryptGroupMessage(chain, utf8('to the channel'))
    const second = encryptGroupMessage(nextChain, utf8('again')).message
    const record = acceptDistribution(undefined, distributionOf(chain), sender, 1_700_000_000_000)
    const distribution = encodeDistribution(distributionOf(chain))
    property(3000, fuzzBytes([distribution, message, second], 1024), bytes => {
      decodeOrRefuse(tally, 'sender-key decodeDistribution', () => decodeDistribution(bytes), coded(E2eError, 'E2E_BAD_MESSAGE'))
      decodeOrRefuse(tally, 'sender-key decodeGroupMessage', () => decodeGroupMessage(bytes), coded(E2eError, 'E2E_BAD_MESSAGE'))
    })
    // The messages as sent among their damaged forms: a damage that changes nothing is too rare to count on (1 run in 6 saw none).
    property(1000, fc.oneof(fc.constantFrom(message, second), fc.constantFrom(message, second).chain(damagedBytes)), bytes => {
      decodeOrRefuse(tally, 'sender-key decryptGroupMessage', () => decryptGroupMessage(record, bytes), coded(E2eError))
    })
    property(2000, fc.oneof(fuzzJson(senderKeyRecordToJson(record)).map(json => ['record', json] as const), fuzzJson(ownSenderChainToJson(chain)).map(json => ['chain', json] as const)), ([kind, json]) => {
      if (kind === 'record') decodeOrRefuse(tally, 'sender-key senderKeyRecordFromJson', () => senderKeyRecordFromJson(json), coded(E2eError, 'E2E_BAD_STATE'))
      else decodeOrRefuse(tally, 'sender-key ownSenderChainFromJson', () => ownSenderChainFromJson(json), coded(E2eError, 'E2E_BAD_STATE'))
    })
  })
})

describe('signed texts: statements, device records, membership entries, signed notes', () => {
  const statement = decodePayload(signedPayload(e2eDevice(), e2eDevice(), 'hi')).statement
  const statementText = fromUtf8(statement)

  it('parseStatement and verifyStatement refuse with BAD_STATEMENT', () => {
    const signature = decodePayload(signedPayload(e2eDevice(), e2eDevice(), 'x')).signature
    const signed = decodePayload(signedPayload(e2eDevice(), e2eDevice(), 'signed'))
    acceptsValid(tally, 'verifyStatement', () => verifyStatement(signed.statement, signed.signature))
    // The signature is another statement's: damage that happens to keep the statement valid is still refused.
    property(4000, fc.oneof(fuzzText([statementText]).map(utf8), fuzzBytes([statement])), bytes => {
      sameBytes(encodeStatement, decodeOrRefuse(tally, 'parseStatement', () => parseStatement(bytes), coded(StatementError, 'BAD_STATEMENT')), bytes)
      decodeOrRefuse(tally, 'verifyStatement', () => verifyStatement(bytes, signature), coded(StatementError, 'BAD_STATEMENT'))
    }, { verifyStatement: ['refused'] })
  })

  it('parseDeviceRecord refuses with BAD_DEVICE_RECORD', () => {
    const seed = randomBytes(32)
    const { bytes } = signDeviceRecord(ed25519Signer(seed), { device: ed25519FromSeed(seed).publicKey, identityKey: randomBytes(32), prekeyId: 7, prekey: randomBytes(32), name: 'Zoë', color: '#a0b1c2', updated: 1_700_000_000_000 })
    property(4000, fc.oneof(fuzzText([fromUtf8(bytes)]).map(utf8), fuzzBytes([bytes])), input => {
      sameBytes(encodeDeviceRecord, decodeOrRefuse(tally, 'parseDeviceRecord', () => parseDeviceRecord(input), coded(DeviceRecordError, 'BAD_DEVICE_RECORD')), input)
    })
  })

  it('parseReceipt refuses with BAD_RECEIPT', () => {
    const bytes = encodeReceipt(sampleReceipt())
    property(3000, fc.oneof(fuzzText([fromUtf8(bytes)]).map(utf8), fuzzBytes([bytes])), input => {
      sameBytes(encodeReceipt, decodeOrRefuse(tally, 'parseReceipt', () => parseReceipt(input), coded(ReceiptError, 'BAD_RECEIPT')), input)
    })
  })

  it('channel entries refuse with CHANNEL_BAD_ENTRY; a damaged channel log with a channel code', () => {
    const owner = memberDevice('owner')
    const log = createChannel(membershipPrimitives, owner, { workspace: toBase64Url(randomBytes(32)), name: 'general', topic: 'fuzz' }, 1_700_000_000_000)
    log.append(owner, { kind: 'topic', topic: 'a new topic' }, 1_700_000_000_100)
    const entries = log.entries()
    property(3000, fuzzText(entries.map(e => fromUtf8(e.bytes))).map(utf8), bytes => {
      sameBytes(encodeChannelEntry, decodeOrRefuse(tally, 'channel parseChannelEntry', () => parseChannelEntry(bytes), coded(ChannelError, 'CHANNEL_BAD_ENTRY')), bytes)
    })
    // The log as signed among its damaged forms: a damaged one verifies a few times in a thousand, and the property must see both outcomes.
    const damagedLog = fc.tuple(fc.nat({ max: entries.length - 1 }), fc.constantFrom('bytes', 'signature') as fc.Arbitrary<'bytes' | 'signature'>).chain(([i, field]) =>
      damagedBytes(entries[i]![field]).map(bytes => entries.map((e, k) => k === i ? { ...e, [field]: bytes } : e)))
    property(1000, withValid(entries, damagedLog), list => {
      decodeOrRefuse(tally, 'channel ChannelLog.verify', () => ChannelLog.verify(membershipPrimitives, list), coded(ChannelError))
    })
  })

  it('membership entries and join requests refuse with their membership codes; a damaged log does not verify', () => {
    const root = memberDevice('root')
    const log = newLog(root)
    admit(log, root, memberDevice('bob'))
    const entries = log.entries()
    const proof = proofFor(log, memberDevice('carol'), inviteKeys())
    property(4000, fuzzText(entries.map(e => fromUtf8(e.bytes))).map(utf8), bytes => {
      sameBytes(encodeEntry, decodeOrRefuse(tally, 'membership parseEntry', () => parseEntry(bytes), coded(MembershipError, 'MEMBERSHIP_BAD_ENTRY')), bytes)
    })
    property(2500, fuzzText([fromUtf8(proof.request)]).map(utf8), bytes => {
      sameBytes(encodeJoinRequest, decodeOrRefuse(tally, 'membership parseJoinRequest', () => parseJoinRequest(bytes), coded(MembershipError, 'MEMBERSHIP_BAD_JOIN_REQUEST')), bytes)
    })
    // A log with one entry damaged, dropped, repeated or moved.
    const damagedLog = fc.tuple(fc.nat({ max: entries.length - 1 }), fc.nat({ max: entries.length - 1 }), fc.constantFrom('bytes', 'signature', 'drop', 'repeat', 'swap')).chain(([i, j, edit]) => {
      const copy: SignedEntry[] = [...entries]
      if (edit === 'drop') { copy.splice(i, 1); return fc.constant(copy) }
      if (edit === 'repeat') { copy.splice(i, 0, copy[i]!); return fc.constant(copy) }
      if (edit === 'swap') { [copy[i], copy[j]] = [copy[j]!, copy[i]!]; return fc.constant(copy) }
      return damagedBytes(copy[i]![edit]).map(bytes => { copy[i] = { ...copy[i]!, [edit]: bytes }; return copy })
    })
    property(1500, damagedLog, list => {
      decodeOrRefuse(tally, 'membership MembershipLog.verify', () => MembershipLog.verify(membershipPrimitives, list, root.publicKey), coded(MembershipError))
    })
  })

  it('signed notes, checkpoints and verifier keys refuse with BAD_SIGNED_NOTE', () => {
    const seed = randomBytes(32)
    const key = noteKey(sha256, 'example.com/log', ed25519FromSeed(seed).publicKey)
    const checkpoint = formatCheckpoint({ origin: key.name, size: 12, root: randomBytes(32) })
    const note = signNote(key, ed25519Signer(seed), checkpoint)
    const vkey = formatVerifierKey(key)
    const noteError = coded(SignedNoteError, 'BAD_SIGNED_NOTE')
    property(3000, fuzzText([note, checkpoint]), text => {
      decodeOrRefuse(tally, 'signed-note parseNote', () => parseNote(text), noteError)
      decodeOrRefuse(tally, 'signed-note openNote', () => openNote(nodeLogPrimitives, text, key), noteError)
      decodeOrRefuse(tally, 'signed-note parseCheckpoint', () => parseCheckpoint(text), noteError)
    })
    property(2000, fuzzText([vkey]), text => {
      decodeOrRefuse(tally, 'signed-note parseVerifierKey', () => parseVerifierKey(sha256, text), noteError)
    })
  })
})

describe('channels and presence (core/channels, core/presence)', () => {
  it('a channel frame refuses with BAD_FRAME, a channel body with BAD_STATEMENT, a distribution payload with E2E_BAD_MESSAGE', () => {
    const frame = encodeChannelFrame({ group: randomBytes(120), heads: [randomBytes(32), randomBytes(32)], to: 'someone' })
    const chain = newSenderChain('fuzz-channel', randomBytes(32), 1_700_000_000_000)
    const distribution = encodeDistributionPayload(distributionOf(chain))
    property(2000, fuzzBytes([frame, distribution], 1024), bytes => {
      decodeOrRefuse(tally, 'channel decodeChannelFrame', () => decodeChannelFrame(bytes), coded(CausetteError, 'BAD_FRAME'))
      decodeOrRefuse(tally, 'channel decodeDistributionPayload', () => decodeDistributionPayload(bytes), coded(E2eError, 'E2E_BAD_MESSAGE'))
    })
    const bodies = [JSON.stringify({ text: 'hello' }), JSON.stringify({ text: '', replyTo: toBase64Url(randomBytes(32)), reaction: '👍' })]
    property(2000, fc.oneof(fuzzText(bodies), fuzzJson({ text: 'hi', replyTo: toBase64Url(randomBytes(32)) }).map(json => JSON.stringify(json) ?? '')), text => {
      decodeOrRefuse(tally, 'message parseBody', () => parseBody(text), coded(CausetteError, 'BAD_STATEMENT'))
    })
  })

  it('a signed presence refuses with PRESENCE_MALFORMED or PRESENCE_BAD_SIGNATURE', () => {
    const seed = randomBytes(32)
    const { bytes, signature } = signPresence(ed25519Signer(seed), { device: ed25519FromSeed(seed).publicKey, status: 'focus', text: 'deep work', until: 1_700_000_360_000, issued: 1_700_000_000_000, exceptions: [{ conversation: toBase64Url(randomBytes(16)), status: 'available' }], photo: { sha256: 'ab'.repeat(32), type: 'image/webp' } })
    property(3000, withValid(bytes, fc.oneof(fuzzText([fromUtf8(bytes)]).map(utf8), fuzzBytes([bytes]))), input => {
      decodeOrRefuse(tally, 'presence parsePresence', () => parsePresence(input), coded(PresenceError, 'PRESENCE_MALFORMED'))
      decodeOrRefuse(tally, 'presence verifyPresence', () => verifyPresence(input, signature), coded(PresenceError, 'PRESENCE_MALFORMED', 'PRESENCE_BAD_SIGNATURE'))
    })
  })
})

describe('invite codes (core/workspace/invite-code.ts)', () => {
  const code = encodeInviteCode({ token: randomBytes(16), address: multiaddr('/ip4/192.168.1.20/tcp/4001') })
  const badCode = coded(WorkspaceError, 'INVITE_BAD_CODE')

  it('decodeInviteCode refuses mistyped, cut and random codes with INVITE_BAD_CODE', () => {
    property(4000, fc.oneof(fuzzText([code]), fuzzText([code]).map(t => `http://127.0.0.1:7421/#/join/${t}`)), text => {
      decodeOrRefuse(tally, 'decodeInviteCode', () => decodeInviteCode(text), badCode)
    })
    const expiries = fc.tuple(fc.integer({ min: 1, max: 99_999 }), fc.constantFrom('m', 'h', 'd')).map(([n, unit]) => `${n}${unit}`)
    property(1000, fc.oneof(fc.string({ maxLength: 12, unit: 'binary' }), expiries, expiries.chain(damagedText)), text => {
      decodeOrRefuse(tally, 'parseInviteExpiry', () => parseInviteExpiry(text), coded(WorkspaceError, 'WORKSPACE_BAD_REQUEST'), {
        accepted: ms => { assert.ok(Number.isSafeInteger(ms) && ms >= 60_000, `an expiry of ${ms} ms from "${text}"`) }
      })
    })
  })
})

describe('the journal export (crypto/log) and base64', () => {
  const files: string[][] = []
  before(async () => {
    const journal = await memoryJournal()
    const bodies = new Map<string, { salt: Uint8Array, body: Uint8Array }>()
    await journal.append([startupEntry(1)])
    await populate(journal, 3, bodies)
    files.push(await exportLines(journal, {}, bodies))
    files.push(await exportLines(journal, { with: bob.peerId }, bodies))
  })

  it('the export verifier refuses cut, damaged and random files with LOG_VERIFICATION_FAILED', () => {
    const verifyLines = (lines: string[]): ExportReport => {
      const verifier = new ExportVerifier(nodeLogPrimitives)
      for (const line of lines) verifier.push(line)
      return verifier.finish()
    }
    const damagedFile = fc.tuple(fc.nat(1), fc.nat(), fc.nat(), fc.string({ maxLength: 60, unit: 'binary' })).map(([f, l, c, junk]) => {
      const lines = [...files[f]!]
      const i = l % lines.length
      const at = c % (lines[i]!.length + 1)
      lines[i] = lines[i]!.slice(0, at) + junk + lines[i]!.slice(at)
      return lines
    })
    const cutFile = fc.tuple(fc.nat(1), fc.nat()).map(([f, n]) => files[f]!.join('\n').slice(0, n % files[f]!.join('\n').length).split('\n'))
    property(2000, fc.oneof(damagedFile, cutFile, fc.array(fc.string({ maxLength: 80, unit: 'binary' }), { maxLength: 8 })), lines => {
      decodeOrRefuse(tally, 'log ExportVerifier', () => verifyLines(lines), coded(LogVerificationError, 'LOG_VERIFICATION_FAILED'))
    })
  })

  it('journal leaves: canonical JSON and entry checks refuse with BAD_JOURNAL_ENTRY', () => {
    const leaves = files[0]!.filter(l => l.startsWith('entry ')).map(l => fromUtf8(fromBase64(l.split(' ')[3]!)))
    const key = ed25519FromSeed(new Uint8Array(32).fill(1)).publicKey
    property(3000, fuzzText(leaves), text => {
      decodeOrRefuse(tally, 'log parseCanonicalJson', () => parseCanonicalJson(text), coded(CanonicalJsonError, 'BAD_JOURNAL_ENTRY'))
      decodeOrRefuse(tally, 'log checkEntry', () => checkEntry(nodeLogPrimitives, utf8(text), key), coded(EntryCheckError, 'BAD_JOURNAL_ENTRY'))
    })
  })

  it('decodeBase64 never throws, and what it accepts is the one canonical spelling', () => {
    const valid = [encodeBase64(randomBytes(1)), encodeBase64(randomBytes(2)), encodeBase64(randomBytes(33))]
    property(5000, fc.tuple(fc.oneof(fc.string({ maxLength: 64, unit: 'binary' }), fc.base64String({ maxLength: 64 }), fuzzText(valid)), fc.option(fc.nat(40), { nil: undefined })), ([text, length]) => {
      decodeOrRefuse(tally, 'decodeBase64', () => decodeBase64(text, length), () => false, {
        undefinedRefuses: true,
        accepted: bytes => { assert.equal(encodeBase64(bytes), text) }
      })
    })
  })

  it('an at-rest box that is not ours, or damaged, is refused with an AT_REST code', () => {
    const key = randomBytes(32)
    const ad = utf8('causette/at-rest/value/fuzz/v1')
    const box = seal(key, ad, utf8('{"a value":"at rest"}'))
    // The box itself among its damaged forms, so that the property meets an acceptance in every run.
    property(2500, withValid(box, fuzzBytes([box], 128)), bytes => {
      decodeOrRefuse(tally, 'at-rest open', () => open(key, ad, bytes), coded(AtRestError, 'AT_REST_BAD_FORMAT', 'AT_REST_REFUSED'))
    })
  })
})

function sampleReceipt (): Receipt {
  return { workspace: 'acme', conversation: toBase64Url(randomBytes(16)), author: randomBytes(32), to: randomBytes(32), state: 'delivered', time: 1_700_000_000_000, ids: [toBase64Url(randomBytes(32)), toBase64Url(randomBytes(32))] }
}
