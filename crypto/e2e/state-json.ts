// Session states and records as JSON (base64 strings), to store and read back. Parsing is strict: a state
// that does not parse exactly is refused with E2E_BAD_STATE rather than half-used.
import { parseBase64, toBase64 } from '../encoding.js'
import { isU32 } from './bytes.js'
import { e2eFail } from './errors.js'
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

const orNull = <T, U>(value: T | null, f: (v: T) => U): U | null => value === null ? null : f(value)

export function ratchetStateToJson (s: RatchetState): RatchetStateJson {
  return {
    version: STATE_VERSION,
    ad: toBase64(s.ad),
    rootKey: toBase64(s.rootKey),
    ours: { publicKey: toBase64(s.ours.publicKey), privateKey: toBase64(s.ours.privateKey) },
    theirs: orNull(s.theirs, toBase64),
    sendChain: orNull(s.sendChain, toBase64),
    receiveChain: orNull(s.receiveChain, toBase64),
    ns: s.ns,
    nr: s.nr,
    pn: s.pn,
    skipped: s.skipped.map(k => ({ dh: toBase64(k.dh), n: k.n, messageKey: toBase64(k.messageKey) })),
    previousTheirs: s.previousTheirs.map(toBase64),
    start: orNull(s.start, st => ({ identityKey: toBase64(st.identityKey), baseKey: toBase64(st.baseKey), prekeyId: st.prekeyId })),
    baseKey: toBase64(s.baseKey)
  }
}

const fail = (why: string): never => e2eFail('E2E_BAD_STATE', `session state: ${why}`)

function bytes (value: unknown, length: number, field: string): Uint8Array {
  return (typeof value === 'string' ? parseBase64(value, length) : undefined) ?? fail(`${field} is not ${length} bytes of base64`)
}

function counter (value: unknown, field: string): number {
  return typeof value === 'number' && isU32(value) ? value : fail(`${field} is not a u32`)
}

function list (value: unknown, field: string): unknown[] {
  return Array.isArray(value) ? value : fail(`${field} is not a list`)
}

function record (value: unknown, field: string): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : fail(`${field} is not an object`)
}

function parseStart (value: unknown): SessionStart {
  const st = record(value, 'start')
  return { identityKey: bytes(st.identityKey, KEY, 'start.identityKey'), baseKey: bytes(st.baseKey, KEY, 'start.baseKey'), prekeyId: counter(st.prekeyId, 'start.prekeyId') }
}

export function ratchetStateFromJson (json: unknown): RatchetState {
  const j = record(json, 'state')
  if (j.version !== STATE_VERSION) fail('unknown version')
  const ours = record(j.ours, 'ours')
  const key = (value: unknown, field: string): Uint8Array | null => value === null ? null : bytes(value, KEY, field)
  return {
    ad: bytes(j.ad, AD_BYTES, 'ad'),
    rootKey: bytes(j.rootKey, KEY, 'rootKey'),
    ours: { publicKey: bytes(ours.publicKey, KEY, 'ours.publicKey'), privateKey: bytes(ours.privateKey, KEY, 'ours.privateKey') },
    theirs: key(j.theirs, 'theirs'),
    sendChain: key(j.sendChain, 'sendChain'),
    receiveChain: key(j.receiveChain, 'receiveChain'),
    ns: counter(j.ns, 'ns'),
    nr: counter(j.nr, 'nr'),
    pn: counter(j.pn, 'pn'),
    skipped: list(j.skipped, 'skipped').map((item, i) => {
      const k = record(item, `skipped[${i}]`)
      return { dh: bytes(k.dh, KEY, 'skipped.dh'), n: counter(k.n, 'skipped.n'), messageKey: bytes(k.messageKey, KEY, 'skipped.messageKey') }
    }),
    previousTheirs: list(j.previousTheirs, 'previousTheirs').map(k => bytes(k, KEY, 'previousTheirs')),
    start: j.start === null ? null : parseStart(j.start),
    baseKey: bytes(j.baseKey, KEY, 'baseKey')
  }
}

export function sessionRecordToJson (r: SessionRecord): SessionRecordJson {
  return { version: STATE_VERSION, current: ratchetStateToJson(r.current), previous: r.previous.map(ratchetStateToJson), retiredBaseKeys: r.retiredBaseKeys.map(toBase64) }
}

export function sessionRecordFromJson (json: unknown): SessionRecord {
  const j = record(json, 'record')
  if (j.version !== STATE_VERSION) fail('unknown record version')
  return {
    current: ratchetStateFromJson(j.current),
    previous: list(j.previous, 'previous').map(ratchetStateFromJson),
    retiredBaseKeys: list(j.retiredBaseKeys, 'retiredBaseKeys').map(k => bytes(k, KEY, 'retiredBaseKeys'))
  }
}
