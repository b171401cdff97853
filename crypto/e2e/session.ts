// 1:1 sessions, as the node uses them: start one towards a peer's device record, encrypt, and
// receive any ratchet message (a session start or not) with the peer's pinned keys. All pure: each
// call returns the state to store in the same batch as the message it sent or received.
import type { DeviceKeys, SignedPrekey } from '../device-keys.js'
import { equals } from '../encoding.js'
import type { Sodium } from '../sodium.js'
import { e2eFail } from './errors.js'
import { DEFAULT_RATCHET_LIMITS, initInitiator, initResponder, ratchetDecrypt, ratchetEncrypt, type RatchetLimits, type RatchetState } from './ratchet.js'
import { decodeRatchetMessage, type RatchetMessage } from './wire.js'
import { findPrekey, x3dhInitiate, x3dhRespond, type LocalDevice, type RemoteDevice } from './x3dh.js'

export const MAX_RETIRED_BASE_KEYS = 32

export interface Received {
  plaintext: Uint8Array
  nextState: RatchetState
}

/** Our keys as the session layer needs them; `previousPrekeys` still answer starts sent before a rotation. */
export function localDevice (keys: DeviceKeys, previousPrekeys: readonly SignedPrekey[] = []): LocalDevice {
  return { device: keys.device.publicKey, identity: keys.identity, prekeys: [keys.prekey, ...previousPrekeys] }
}

/** A new session towards `theirs` (its verified device record). Encrypt with it at once. */
export function startSession (sodium: Sodium, ours: LocalDevice, theirs: RemoteDevice): RatchetState {
  const { sharedKey, ad, start } = x3dhInitiate(sodium, ours, theirs)
  return initInitiator(sodium, sharedKey, ad, theirs.prekey, start)
}

export function encryptMessage (sodium: Sodium, state: RatchetState, plaintext: Uint8Array): { message: Uint8Array, nextState: RatchetState } {
  return ratchetEncrypt(sodium, state, plaintext)
}

function accept (sodium: Sodium, ours: LocalDevice, theirs: Pick<RemoteDevice, 'device' | 'identityKey'>, message: RatchetMessage, limits: RatchetLimits): Received {
  const start = message.start!
  const { sharedKey, ad } = x3dhRespond(sodium, ours, theirs, start)
  const state = initResponder(sharedKey, ad, findPrekey(ours, start.prekeyId), start.baseKey)
  return ratchetDecrypt(sodium, state, message, limits)
}

function compareBytes (a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

/**
 * Receives one ratchet message from `theirs` (its device key and pinned identity key).
 * - A plain message needs a session (`state`), else E2E_BAD_STATE.
 * - A session start for the current session is decrypted in it; one of a retired session is a
 *   replay; a new one replaces the session, except when both sides started at once and neither has
 *   answered yet: then the session started by the device with the lower key wins, and the other
 *   side's messages are still decrypted (with a session that is not kept).
 */
export function receiveMessage (sodium: Sodium, ours: LocalDevice, theirs: Pick<RemoteDevice, 'device' | 'identityKey'>, state: RatchetState | undefined, bytes: Uint8Array, limits: RatchetLimits = DEFAULT_RATCHET_LIMITS): Received {
  const message = decodeRatchetMessage(bytes)
  const { start } = message
  if (start === null) {
    if (state === undefined) e2eFail('E2E_BAD_STATE', 'no session with this device: a session start is needed')
    return ratchetDecrypt(sodium, state, message, limits)
  }
  if (state !== undefined && equals(state.baseKey, start.baseKey)) return ratchetDecrypt(sodium, state, message, limits)
  if (state?.retiredBaseKeys.some(k => equals(k, start.baseKey)) === true) e2eFail('E2E_REPLAY', 'session start of a session already replaced')
  const accepted = accept(sodium, ours, theirs, message, limits)
  if (state === undefined) return accepted
  if (state.start !== null && compareBytes(ours.device, theirs.device) < 0) return { plaintext: accepted.plaintext, nextState: state }
  const retiredBaseKeys = [state.baseKey, ...state.retiredBaseKeys].slice(0, MAX_RETIRED_BASE_KEYS)
  return { plaintext: accepted.plaintext, nextState: { ...accepted.nextState, retiredBaseKeys } }
}
