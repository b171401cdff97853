// Session states and records as JSON (base64 strings), to store and read back. Parsing is strict: a state
// that does not parse exactly is refused with E2E_BAD_STATE rather than half-used.
import { toBase64 } from '../encoding.js'
import { jsonReader } from './json-reader.js'
import type { RatchetState } from './ratchet.js'
import type { SessionRecord } from './session.js'
import type { SessionStart } from './wire.js'

const STATE_VERSION = 1
const KEY = 32
/** The session's associated data: two X25519 and two Ed25519 public keys. */
const AD_BYTES = 128

export interface RatchetStateJson {
  version: 1
  ad: string
  rootKey: string
  ours: { publicKey: string, privateKey: string }
  theirs: string | null
  sendChain: string | null
  receiveChain: string | null
  ns: number
  nr: number
  pn: number
  skipped: Array<{ dh: string, n: number, messageKey: string }>
  previousTheirs: string[]
  start: { identityKey: string, baseKey: string, prekeyId: number } | null
  baseKey: string
}

export interface SessionRecordJson {
  version: 1
  current: RatchetStateJson
  previous: RatchetStateJson[]
  retiredBaseKeys: string[]
}

const orNull = <T, U>(value: T | null, convert: (present: T) => U): U | null => value === null ? null : convert(value)

export function ratchetStateToJson (state: RatchetState): RatchetStateJson {
  return {
    version: STATE_VERSION,
    ad: toBase64(state.ad),
    rootKey: toBase64(state.rootKey),
    ours: { publicKey: toBase64(state.ours.publicKey), privateKey: toBase64(state.ours.privateKey) },
    theirs: orNull(state.theirs, toBase64),
    sendChain: orNull(state.sendChain, toBase64),
    receiveChain: orNull(state.receiveChain, toBase64),
    ns: state.ns,
    nr: state.nr,
    pn: state.pn,
    skipped: state.skipped.map(skipped => ({ dh: toBase64(skipped.dh), n: skipped.n, messageKey: toBase64(skipped.messageKey) })),
    previousTheirs: state.previousTheirs.map(toBase64),
    start: orNull(state.start, start => ({ identityKey: toBase64(start.identityKey), baseKey: toBase64(start.baseKey), prekeyId: start.prekeyId })),
    baseKey: toBase64(state.baseKey)
  }
}

const read = jsonReader('session state')

function parseStart (value: unknown): SessionStart {
  const start = read.record(value, 'start')
  return { identityKey: read.bytes(start.identityKey, KEY, 'start.identityKey'), baseKey: read.bytes(start.baseKey, KEY, 'start.baseKey'), prekeyId: read.u32(start.prekeyId, 'start.prekeyId') }
}

export function ratchetStateFromJson (json: unknown): RatchetState {
  const state = read.record(json, 'state')
  if (state.version !== STATE_VERSION) read.fail('unknown version')
  const ours = read.record(state.ours, 'ours')
  const keyOrNull = (value: unknown, field: string): Uint8Array | null => value === null ? null : read.bytes(value, KEY, field)
  return {
    ad: read.bytes(state.ad, AD_BYTES, 'ad'),
    rootKey: read.bytes(state.rootKey, KEY, 'rootKey'),
    ours: { publicKey: read.bytes(ours.publicKey, KEY, 'ours.publicKey'), privateKey: read.bytes(ours.privateKey, KEY, 'ours.privateKey') },
    theirs: keyOrNull(state.theirs, 'theirs'),
    sendChain: keyOrNull(state.sendChain, 'sendChain'),
    receiveChain: keyOrNull(state.receiveChain, 'receiveChain'),
    ns: read.u32(state.ns, 'ns'),
    nr: read.u32(state.nr, 'nr'),
    pn: read.u32(state.pn, 'pn'),
    skipped: read.list(state.skipped, 'skipped').map((item, i) => {
      const skipped = read.record(item, `skipped[${i}]`)
      return { dh: read.bytes(skipped.dh, KEY, 'skipped.dh'), n: read.u32(skipped.n, 'skipped.n'), messageKey: read.bytes(skipped.messageKey, KEY, 'skipped.messageKey') }
    }),
    previousTheirs: read.list(state.previousTheirs, 'previousTheirs').map(key => read.bytes(key, KEY, 'previousTheirs')),
    start: state.start === null ? null : parseStart(state.start),
    baseKey: read.bytes(state.baseKey, KEY, 'baseKey')
  }
}

export function sessionRecordToJson (record: SessionRecord): SessionRecordJson {
  return { version: STATE_VERSION, current: ratchetStateToJson(record.current), previous: record.previous.map(ratchetStateToJson), retiredBaseKeys: record.retiredBaseKeys.map(toBase64) }
}

export function sessionRecordFromJson (json: unknown): SessionRecord {
  const stored = read.record(json, 'record')
  if (stored.version !== STATE_VERSION) read.fail('unknown record version')
  return {
    current: ratchetStateFromJson(stored.current),
    previous: read.list(stored.previous, 'previous').map(ratchetStateFromJson),
    retiredBaseKeys: read.list(stored.retiredBaseKeys, 'retiredBaseKeys').map(key => read.bytes(key, KEY, 'retiredBaseKeys'))
  }
}
