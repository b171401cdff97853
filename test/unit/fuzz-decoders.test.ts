// Fuzzing every decoder of the tree with fast-check: random bytes and text, and valid input cut
// short, bit-flipped, spliced, repeated or reshuffled. Each decoder must return a value or throw the
// error it documents (its class and stable code), never a TypeError, a RangeError or anything else.
// FUZZ_SEED=<seed> replays a failure (fast-check prints the seed); FUZZ_RUNS=<n> runs longer.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import { multiaddr } from '@multiformats/multiaddr'
import { Ack, Envelope, SignedRecord } from '../../core/protocol/wire.js'
import { EntriesFrame, JoinRequestFrame, LogEntry, MembersHead } from '../../core/protocol/workspace.js'
import { entryFrames, frameError, frameOptions, toWire } from '../../core/protocol/workspace-entries.js'
import { MAX_ENTRIES_FRAME_BYTES, MAX_JOIN_REQUEST_FRAME_BYTES } from '../../core/protocol/workspace-limits.js'
import { decodeInviteCode, encodeInviteCode, INVITE_CODE_PREFIX, parseInviteExpiry } from '../../core/workspace/invite-code.js'
import { WorkspaceError } from '../../core/workspace/errors.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { startupEntry } from '../../core/journal/entry.js'
import { AtRestError, open, seal } from '../../crypto/at-rest.js'
import { decodeBase64, encodeBase64 } from '../../crypto/base64.js'
import { DeviceRecordError, parseDeviceRecord, signDeviceRecord, verifyDeviceRecord } from '../../crypto/device-record.js'
import { E2eError } from '../../crypto/e2e/errors.js'
import { decodePayload, openPayload } from '../../crypto/e2e/payload.js'
import { sessionRecordFromJson, sessionRecordToJson } from '../../crypto/e2e/state-json.js'
import { decodeRatchetMessage } from '../../crypto/e2e/wire.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { concat, fromBase64, fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { CanonicalJsonError, parseCanonicalJson } from '../../crypto/log/canonical-json.js'
import { ExportVerifier, LogVerificationError, type ExportReport } from '../../crypto/log/export-verifier.js'
import { checkEntry, EntryCheckError } from '../../crypto/log/verify-entry.js'
import { MembershipError, parseEntry, parseJoinRequest } from '../../crypto/membership-entry.js'
import { MembershipLog, type SignedEntry } from '../../crypto/membership-log.js'
import { randomBytes } from '../../crypto/random.js'
import { sha256 } from '../../crypto/sha256.js'
import { formatCheckpoint, formatVerifierKey, noteKey, openNote, parseCheckpoint, parseNote, parseVerifierKey, signNote, SignedNoteError } from '../../crypto/signed-note.js'
import { parseStatement, StatementError } from '../../crypto/statement.js'
import { verifyStatement } from '../../crypto/statement-signature.js'
import { coded, damagedBytes, decodeOrRefuse, either, fuzzBytes, fuzzParameters, fuzzText, FuzzTally, varint, type Expected } from '../helpers/fuzz-decoding.js'
import { device as e2eDevice, pair, signedPayload, sodium } from './e2e-fixture.js'
import { bob, exportLines, memoryJournal, populate } from './journal-fixture.js'
import { admit, device as memberDevice, newLog, primitives as membershipPrimitives, proofFor, inviteKeys } from './membership-fixture.js'

const tally = new FuzzTally()
after(() => { console.log(['fuzzed decoders:', ...tally.lines()].join('\n')) })

/** What protons-runtime throws for bytes that are not the message: a read past the end, or a bad wire type or varint. */
const protobufError: Expected = error => error instanceof RangeError || (error?.constructor === Error && /^invalid (wire type|varint encoding)/.test((error as Error).message))

/** Protobuf nested groups of an unknown field, deeper than the stack: the decoder recurses on them. */
const deepGroups = (bytes: number): Uint8Array => new Uint8Array(bytes).fill(0x7b)

const property = <T>(runs: number, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void => {
  fc.assert(fc.property(arbitrary, predicate), fuzzParameters(runs))
}

describe('protobuf frames (core/protocol/wire.ts)', () => {
  const record = signDeviceRecord(ed25519Signer(randomBytes(32)), { device: new Uint8Array(32), identityKey: randomBytes(32), prekeyId: 1, prekey: randomBytes(32), name: 'fuzz', color: '#123456', updated: 1 })
  const valid = {
    Envelope: [Envelope.encode({ sealed: randomBytes(120) as Uint8Array<ArrayBuffer> })],
    Ack: [Ack.encode({ id: toBase64Url(randomBytes(32)), errorCode: '', errorMessage: '' }), Ack.encode({ id: '', errorCode: 'BAD_FRAME', errorMessage: 'undecodable frame' })],
    SignedRecord: [SignedRecord.encode({ record: record.bytes as Uint8Array<ArrayBuffer>, signature: record.signature as Uint8Array<ArrayBuffer> })]
  }
  const codecs = { Envelope, Ack, SignedRecord } as const

  for (const name of Object.keys(codecs) as Array<keyof typeof codecs>) {
    it(`${name}.decode answers random and damaged frames with a protobuf decode error, never anything else`, () => {
      property(2500, fuzzBytes(valid[name]), bytes => { decodeOrRefuse(tally, `wire ${name}`, () => codecs[name].decode(bytes), protobufError) })
      decodeOrRefuse(tally, `wire ${name}`, () => codecs[name].decode(deepGroups(64 * 1024)), protobufError)
    })
  }

  it('what a decoded frame carries goes on to its own decoder: a sealed message, a device record', () => {
    property(1500, fuzzBytes(valid.Envelope), bytes => {
      const envelope = decodeOrRefuse(tally, 'wire Envelope', () => Envelope.decode(bytes), protobufError)
      if (envelope !== undefined) decodeOrRefuse(tally, 'e2e decodeRatchetMessage', () => decodeRatchetMessage(envelope.sealed), coded(E2eError, 'E2E_BAD_MESSAGE'))
    })
    property(1500, fuzzBytes(valid.SignedRecord), bytes => {
      const signed = decodeOrRefuse(tally, 'wire SignedRecord', () => SignedRecord.decode(bytes), protobufError)
      if (signed !== undefined) decodeOrRefuse(tally, 'verifyDeviceRecord', () => verifyDeviceRecord(signed.record, signed.signature), coded(DeviceRecordError, 'BAD_DEVICE_RECORD'))
    })
  })
})

describe('protobuf frames (core/protocol/workspace.ts)', () => {
  const root = memberDevice('root')
  const log = newLog(root)
  admit(log, root, memberDevice('bob'))
  const entries = log.entries()
  const proof = proofFor(log, memberDevice('carol'), inviteKeys())
  const valid = {
    LogEntry: entries.map(e => LogEntry.encode(toWire(e))),
    JoinRequestFrame: [JoinRequestFrame.encode({ request: proof.request, requestSignature: proof.requestSignature, inviteSignature: proof.inviteSignature } as JoinRequestFrame)],
    MembersHead: [MembersHead.encode({ workspace: log.workspaceId, length: log.length, head: log.head } as MembersHead)],
    EntriesFrame: [...entryFrames(entries), { entries: [], errorCode: 'MEMBERSHIP_FORK', errorMessage: 'membership: the logs differ', more: false }].map(f => EntriesFrame.encode(f))
  }
  const codecs = { LogEntry, JoinRequestFrame, MembersHead, EntriesFrame } as const
  // What the join and members handlers do with a frame that does not decode (workspace-entries.ts).
  const asHandled = <T>(decode: () => T) => (): T => { try { return decode() } catch (error) { throw frameError(error) } }
  const badFrame = coded(WorkspaceError, 'MEMBERS_BAD_FRAME')

  for (const name of Object.keys(codecs) as Array<keyof typeof codecs>) {
    it(`${name}: a frame that does not decode becomes MEMBERS_BAD_FRAME`, () => {
      property(2500, fuzzBytes(valid[name]), bytes => { decodeOrRefuse(tally, `workspace ${name}`, asHandled(() => codecs[name].decode(bytes)), badFrame) })
      decodeOrRefuse(tally, `workspace ${name}`, asHandled(() => codecs[name].decode(deepGroups(256 * 1024))), badFrame)
    })
  }

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

  it('decoded entries and join requests go on to the membership parser', () => {
    property(1500, fuzzBytes(valid.EntriesFrame, 2048), bytes => {
      const frame = decodeOrRefuse(tally, 'workspace EntriesFrame', asHandled(() => EntriesFrame.decode(bytes)), badFrame)
      for (const entry of frame?.entries ?? []) decodeOrRefuse(tally, 'membership parseEntry', () => parseEntry(entry.bytes), coded(MembershipError, 'MEMBERSHIP_BAD_ENTRY'))
    })
    property(1500, fuzzBytes(valid.JoinRequestFrame, 2048), bytes => {
      const frame = decodeOrRefuse(tally, 'workspace JoinRequestFrame', asHandled(() => JoinRequestFrame.decode(bytes)), badFrame)
      if (frame !== undefined) decodeOrRefuse(tally, 'membership checkJoinRequest', () => log.checkJoinRequest(frame, inviteKeys().publicKey), coded(MembershipError, 'MEMBERSHIP_BAD_JOIN_REQUEST'))
    })
  })
})

describe('the end-to-end layer (crypto/e2e)', () => {
  const alice = e2eDevice()
  const bobDevice = e2eDevice()
  const plaintext = signedPayload(alice, bobDevice, 'hello, fuzz')

  it('decodePayload refuses with E2E_BAD_PAYLOAD; openPayload adds BAD_STATEMENT', () => {
    property(3000, fuzzBytes([plaintext], 2048), bytes => {
      decodeOrRefuse(tally, 'e2e decodePayload', () => decodePayload(bytes), coded(E2eError, 'E2E_BAD_PAYLOAD'))
      decodeOrRefuse(tally, 'e2e openPayload', () => openPayload(bytes), either(coded(E2eError, 'E2E_BAD_PAYLOAD'), coded(StatementError, 'BAD_STATEMENT')))
    })
    // Length fields at and past their bounds.
    property(1000, fc.tuple(fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 200 })), ([statementLength, bodyLength, rest]) => {
      const u32 = (n: number): Uint8Array => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n >>> 0); return b }
      const bytes = concat([Uint8Array.of(1), u32(statementLength), rest, u32(bodyLength), rest])
      decodeOrRefuse(tally, 'e2e decodePayload', () => decodePayload(bytes), coded(E2eError, 'E2E_BAD_PAYLOAD'))
    })
  })

  it('decodeRatchetMessage refuses with E2E_BAD_MESSAGE, and a session refuses a damaged message with an E2E code', () => {
    const { alice: a, bob: b } = pair()
    const messages = [a.send('first'), a.send('second')]
    property(3000, fuzzBytes(messages, 1024), bytes => {
      decodeOrRefuse(tally, 'e2e decodeRatchetMessage', () => decodeRatchetMessage(bytes), coded(E2eError, 'E2E_BAD_MESSAGE'))
    })
    property(1000, fc.constantFrom(...messages).chain(damagedBytes), bytes => {
      // The receiving record is not kept: every case starts from the same session.
      decodeOrRefuse(tally, 'e2e receiveMessage', () => b.tryReceive(bytes), coded(E2eError))
    })
    decodeOrRefuse(tally, 'e2e decodeRatchetMessage', () => decodeRatchetMessage(new Uint8Array(300 * 1024)), coded(E2eError, 'E2E_BAD_MESSAGE'))
  })

  it('sessionRecordFromJson refuses any other JSON with E2E_BAD_STATE', () => {
    const { alice: a } = pair()
    a.send('a state with a sending chain')
    const json = sessionRecordToJson(a.record!) as unknown as Record<string, unknown>
    const current = json.current as Record<string, unknown>
    const paths = [...Object.keys(json).map(k => [k]), ...Object.keys(current).map(k => ['current', k])]
    property(2500, fc.oneof<[fc.Arbitrary<unknown>, fc.Arbitrary<unknown>]>(
      fc.jsonValue(),
      fc.tuple(fc.constantFrom(...paths), fc.jsonValue()).map(([path, value]) => {
        const copy = structuredClone(json)
        const parent = path.length === 1 ? copy : copy[path[0]!] as Record<string, unknown>
        parent[path.at(-1)!] = value
        return copy
      })
    ), value => {
      decodeOrRefuse(tally, 'e2e sessionRecordFromJson', () => sessionRecordFromJson(value), coded(E2eError, 'E2E_BAD_STATE'))
    })
  })
})

describe('signed texts: statements, device records, membership entries, signed notes', () => {
  const statement = decodePayload(signedPayload(e2eDevice(), e2eDevice(), 'hi')).statement
  const statementText = fromUtf8(statement)

  it('parseStatement and verifyStatement refuse with BAD_STATEMENT', () => {
    const signature = decodePayload(signedPayload(e2eDevice(), e2eDevice(), 'x')).signature
    property(4000, fc.oneof(fuzzText([statementText]).map(utf8), fuzzBytes([statement])), bytes => {
      decodeOrRefuse(tally, 'parseStatement', () => parseStatement(bytes), coded(StatementError, 'BAD_STATEMENT'))
      decodeOrRefuse(tally, 'verifyStatement', () => verifyStatement(bytes, signature), coded(StatementError, 'BAD_STATEMENT'))
    })
  })

  it('parseDeviceRecord refuses with BAD_DEVICE_RECORD', () => {
    const seed = randomBytes(32)
    const { bytes } = signDeviceRecord(ed25519Signer(seed), { device: ed25519FromSeed(seed).publicKey, identityKey: randomBytes(32), prekeyId: 7, prekey: randomBytes(32), name: 'Zoë', color: '#a0b1c2', updated: 1_700_000_000_000 })
    property(4000, fc.oneof(fuzzText([fromUtf8(bytes)]).map(utf8), fuzzBytes([bytes])), input => {
      decodeOrRefuse(tally, 'parseDeviceRecord', () => parseDeviceRecord(input), coded(DeviceRecordError, 'BAD_DEVICE_RECORD'))
    })
  })

  it('membership entries and join requests refuse with their membership codes; a damaged log does not verify', () => {
    const root = memberDevice('root')
    const log = newLog(root)
    admit(log, root, memberDevice('bob'))
    const entries = log.entries()
    const proof = proofFor(log, memberDevice('carol'), inviteKeys())
    property(4000, fuzzText(entries.map(e => fromUtf8(e.bytes))).map(utf8), bytes => {
      decodeOrRefuse(tally, 'membership parseEntry', () => parseEntry(bytes), coded(MembershipError, 'MEMBERSHIP_BAD_ENTRY'))
    })
    property(2500, fuzzText([fromUtf8(proof.request)]).map(utf8), bytes => {
      decodeOrRefuse(tally, 'membership parseJoinRequest', () => parseJoinRequest(bytes), coded(MembershipError, 'MEMBERSHIP_BAD_JOIN_REQUEST'))
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

describe('invite codes (core/workspace/invite-code.ts)', () => {
  const code = encodeInviteCode({ root: randomBytes(32), secret: randomBytes(32), inviter: randomBytes(32), addresses: [multiaddr('/ip4/192.168.1.20/tcp/4001'), multiaddr('/ip6/fe80::1/tcp/4001'), multiaddr('/ip4/127.0.0.1/tcp/4001')] })
  const badCode = coded(WorkspaceError, 'INVITE_BAD_CODE')

  it('decodeInviteCode refuses mistyped, cut and random codes with INVITE_BAD_CODE', () => {
    property(4000, fc.oneof(fuzzText([code]), fuzzText([code]).map(t => INVITE_CODE_PREFIX + t)), text => {
      decodeOrRefuse(tally, 'decodeInviteCode', () => decodeInviteCode(text), badCode)
    })
  })

  it('a payload with a correct checksum but garbage inside (past the checksum: the parser itself) is refused the same way', () => {
    const payload = fromBase64Url(code.slice(INVITE_CODE_PREFIX.length)).slice(0, -4)
    const withChecksum = (p: Uint8Array): string => INVITE_CODE_PREFIX + toBase64Url(concat([p, sha256(utf8(INVITE_CODE_PREFIX), p).subarray(0, 4)]))
    property(4000, fuzzBytes([payload], 400), bytes => {
      decodeOrRefuse(tally, 'decodeInviteCode (checksummed)', () => decodeInviteCode(withChecksum(bytes)), badCode)
    })
    property(1000, fc.string({ maxLength: 12, unit: 'binary' }), text => {
      decodeOrRefuse(tally, 'parseInviteExpiry', () => parseInviteExpiry(text), coded(WorkspaceError, 'WORKSPACE_BAD_REQUEST'))
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
      const bytes = decodeOrRefuse(tally, 'decodeBase64', () => decodeBase64(text, length), () => false)
      if (bytes !== undefined) assert.equal(encodeBase64(bytes), text)
    })
  })

  it('an at-rest box that is not ours, or damaged, is refused with an AT_REST code', () => {
    const key = randomBytes(32)
    const ad = utf8('causette/at-rest/value/fuzz/v1')
    const box = seal(sodium, key, ad, utf8('{"a value":"at rest"}'))
    property(2500, fuzzBytes([box], 128), bytes => {
      decodeOrRefuse(tally, 'at-rest open', () => open(sodium, key, ad, bytes), coded(AtRestError, 'AT_REST_BAD_FORMAT', 'AT_REST_REFUSED'))
    })
  })
})
