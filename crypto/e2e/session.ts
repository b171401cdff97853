// 1:1 sessions, as the node uses them: start one towards a peer's device record, encrypt, and
// receive any ratchet message (a session start or not) with the peer's pinned keys. All pure: each
// call returns the record to store in the same batch as the message it sent or received.
//
// A record holds the current session and a few earlier ones (as Signal's session records do), so
// that two devices that start sessions at the same time, or a peer that lost its state and started
// again, never lose a message: a message is decrypted by whichever session it belongs to, and that
// session becomes the current one.
import type { DeviceKeys, SignedPrekey } from '../device-keys.js'
import { equals } from '../encoding.js'
import { E2eError, e2eFail } from './errors.js'
import { DEFAULT_RATCHET_LIMITS, initInitiator, initResponder, pruneSkippedKeys, ratchetDecrypt, ratchetEncrypt, restoreSkippedKey, type RatchetLimits, type RatchetState, type SkippedKey } from './ratchet.js'
import { decodeRatchetMessage, type RatchetMessage, type SessionStart } from './wire.js'
import { findPrekey, x3dhInitiate, x3dhRespond, type LocalDevice, type RemoteDevice } from './x3dh.js'

export const MAX_PREVIOUS_SESSIONS = 4
export const MAX_RETIRED_BASE_KEYS = 32

export interface SessionRecord {
  current: RatchetState
  /** Earlier sessions with the same device, most recently current first. */
  previous: readonly RatchetState[]
  /** Base keys of sessions dropped from `previous`, newest first: their session starts are replays. */
  retiredBaseKeys: readonly Uint8Array[]
}

export interface Received {
  plaintext: Uint8Array
  nextRecord: SessionRecord
  /** The key the message used, and its session: `restoreKey` gives it back if the message is not stored. */
  spent: SpentKey
}

export interface SpentKey { baseKey: Uint8Array, key: SkippedKey }

/** Our keys as the session layer needs them; `previousPrekeys` still answer starts sent before a rotation. */
export function localDevice (keys: DeviceKeys, previousPrekeys: readonly SignedPrekey[] = []): LocalDevice {
  return { device: keys.device.publicKey, identity: keys.identity, prekeys: [keys.prekey, ...previousPrekeys] }
}

/** Makes `state` current; the sessions it pushes out of the record are retired. */
function promote (record: SessionRecord | undefined, state: RatchetState): SessionRecord {
  if (record === undefined) return { current: state, previous: [], retiredBaseKeys: [] }
  if (equals(record.current.baseKey, state.baseKey)) return { ...record, current: state }
  const others = [record.current, ...record.previous].filter(s => !equals(s.baseKey, state.baseKey))
  const dropped = others.slice(MAX_PREVIOUS_SESSIONS).map(s => s.baseKey)
  return {
    current: state,
    previous: others.slice(0, MAX_PREVIOUS_SESSIONS),
    retiredBaseKeys: [...dropped, ...record.retiredBaseKeys].slice(0, MAX_RETIRED_BASE_KEYS)
  }
}

/** A new session towards `theirs` (its verified device record), made current. Encrypt with it at once. */
export function startSession (ours: LocalDevice, theirs: RemoteDevice, record?: SessionRecord): SessionRecord {
  const { sharedKey, ad, start } = x3dhInitiate(ours, theirs)
  return promote(record, initInitiator(sharedKey, ad, theirs.prekey, start))
}

export function encryptMessage (record: SessionRecord, plaintext: Uint8Array): { message: Uint8Array, nextRecord: SessionRecord } {
  const { message, nextState } = ratchetEncrypt(record.current, plaintext)
  return { message, nextRecord: { ...record, current: nextState } }
}

function accept (ours: LocalDevice, theirs: Pick<RemoteDevice, 'device' | 'identityKey'>, start: SessionStart): RatchetState {
  const { sharedKey, ad } = x3dhRespond(ours, theirs, start)
  return initResponder(sharedKey, ad, findPrekey(ours, start.prekeyId), start.baseKey)
}

/** Tries each session in turn; a refusal that names the message (replay, bounds) wins over a failed tag. */
function decryptInAny (states: RatchetState[], message: RatchetMessage, limits: RatchetLimits): ReturnType<typeof ratchetDecrypt> {
  let refusal: E2eError | undefined
  for (const state of states) {
    try {
      return ratchetDecrypt(state, message, limits)
    } catch (e) {
      if (!(e instanceof E2eError)) throw e
      if (refusal === undefined || (refusal.code === 'E2E_DECRYPT_FAILED' && e.code !== 'E2E_DECRYPT_FAILED')) refusal = e
    }
  }
  throw refusal ?? new E2eError('E2E_NO_SESSION', 'no session with this device: a session start is needed')
}

/**
 * Receives one ratchet message from `theirs` (its device key and pinned identity key). A plain
 * message is decrypted by the session it belongs to; a session start by its session if we hold it,
 * else it starts a new one (with the pinned identity key and one of our prekeys); the start of a
 * retired session is a replay.
 */
export function receiveMessage (ours: LocalDevice, theirs: Pick<RemoteDevice, 'device' | 'identityKey'>, record: SessionRecord | undefined, bytes: Uint8Array, limits: RatchetLimits = DEFAULT_RATCHET_LIMITS): Received {
  const message = decodeRatchetMessage(bytes)
  const states = record === undefined ? [] : [record.current, ...record.previous]
  const { start } = message
  let candidates = states
  if (start !== null) {
    const known = states.find(s => equals(s.baseKey, start.baseKey))
    if (known === undefined && record?.retiredBaseKeys.some(k => equals(k, start.baseKey)) === true) e2eFail('E2E_REPLAY', 'session start of a retired session')
    candidates = [known ?? accept(ours, theirs, start)]
  }
  const { plaintext, nextState, spent } = decryptInAny(candidates, message, limits)
  return { plaintext, nextRecord: promote(record, nextState), spent: { baseKey: nextState.baseKey, key: spent } }
}

/**
 * `record` holding again a key that a received message used, because that message could not be
 * stored: its sender's retry of the same bytes is then opened, not refused as a replay. Nothing
 * changes if the session is no longer held.
 */
export function restoreKey (record: SessionRecord, spent: SpentKey): SessionRecord {
  return { ...record, current: restoredIn(record.current, spent), previous: record.previous.map(state => restoredIn(state, spent)) }
}

/** `state` with the spent key back, if it is the key's session (not a closure: one per call, named, cost a defineProperty). */
function restoredIn (state: RatchetState, spent: SpentKey): RatchetState {
  return equals(state.baseKey, spent.baseKey) ? restoreSkippedKey(state, spent.key) : state
}

/**
 * Forgets all but the newest `keep` skipped keys of each session (the messages they belonged to can
 * then no longer be decrypted). For a retention policy, or when E2E_TOO_MANY_SKIPPED shows that
 * messages were lost for good: the skipped-key limits refuse messages rather than forget keys.
 */
export function forgetSkippedKeys (record: SessionRecord, keep: number): SessionRecord {
  return { ...record, current: pruneSkippedKeys(record.current, keep), previous: record.previous.map(s => pruneSkippedKeys(s, keep)) }
}
