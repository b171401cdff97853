// The Double Ratchet (Signal's spec, §3): X25519 DH ratchet, HKDF root chain, HMAC sending and
// receiving chains, one XChaCha20-Poly1305 key per message with the header as associated data.
//
// Both operations are pure: they never change the state they are given and return the next one.
// The caller stores the next state in the same database batch as the message, so advancing the
// ratchet, deleting the used key and storing the message happen together or not at all. A message
// that fails (bad tag, replay, too many skipped keys) leaves nothing to store.
import type { X25519KeyPair } from '../device-keys.js'
import { concat, equals } from '../encoding.js'
import { aeadOpen, aeadSeal } from './aead.js'
import { e2eFail } from './errors.js'
import { kdfChain, kdfRoot, messageCipherKeys } from './ratchet-kdf.js'
import { encodeHeader, encodeRatchetMessage, type RatchetMessage, type SessionStart } from './wire.js'
import { newX25519KeyPair, x25519 } from './x25519.js'

export interface SkippedKey {
  /** The sender's ratchet public key of the chain the key belongs to. */
  dh: Uint8Array
  n: number
  messageKey: Uint8Array
}

export interface RatchetState {
  /** The session's associated data (X3DH: both identity keys, both device keys). */
  ad: Uint8Array
  rootKey: Uint8Array
  /** DHs: our current ratchet key pair. */
  ours: X25519KeyPair
  /** DHr: the peer's current ratchet public key; null until the first message from the peer. */
  theirs: Uint8Array | null
  sendChain: Uint8Array | null
  receiveChain: Uint8Array | null
  ns: number
  nr: number
  pn: number
  /** Keys of messages not yet received, oldest first. */
  skipped: readonly SkippedKey[]
  /** The peer's earlier ratchet keys, newest first, so that a replay from an old chain is named. */
  previousTheirs: readonly Uint8Array[]
  /** Initiator only: sent with every message until the peer's first answer. */
  start: SessionStart | null
  /** The initiator's X3DH ephemeral key: it names the session. */
  baseKey: Uint8Array
}

export interface RatchetLimits {
  /** Most keys skipped by one message within one chain. */
  maxSkipPerChain: number
  /** Most skipped keys held at once. */
  maxSkippedTotal: number
}

export const DEFAULT_RATCHET_LIMITS: RatchetLimits = { maxSkipPerChain: 1000, maxSkippedTotal: 2000 }
export const MAX_PREVIOUS_RATCHET_KEYS = 32
const MAX_COUNTER = 0xffffffff

export function initInitiator (sharedKey: Uint8Array, ad: Uint8Array, theirPrekey: Uint8Array, start: SessionStart): RatchetState {
  const ours = newX25519KeyPair()
  const { rootKey, chainKey } = kdfRoot(sharedKey, x25519(ours.privateKey, theirPrekey))
  return {
    ad, rootKey, ours, theirs: theirPrekey, sendChain: chainKey, receiveChain: null, ns: 0, nr: 0, pn: 0,
    skipped: [], previousTheirs: [], start, baseKey: start.baseKey
  }
}

export function initResponder (sharedKey: Uint8Array, ad: Uint8Array, ourPrekey: X25519KeyPair, baseKey: Uint8Array): RatchetState {
  return {
    ad, rootKey: sharedKey, ours: ourPrekey, theirs: null, sendChain: null, receiveChain: null, ns: 0, nr: 0, pn: 0,
    skipped: [], previousTheirs: [], start: null, baseKey
  }
}

export function ratchetEncrypt (state: RatchetState, plaintext: Uint8Array): { message: Uint8Array, nextState: RatchetState } {
  if (state.sendChain === null) e2eFail('E2E_BAD_STATE', 'this side cannot send before the first message of the session arrives')
  if (state.ns >= MAX_COUNTER) e2eFail('E2E_BAD_STATE', 'sending chain exhausted')
  const { chainKey, messageKey } = kdfChain(state.sendChain)
  const headerBytes = encodeHeader(state.start, { dh: state.ours.publicKey, pn: state.pn, n: state.ns })
  const { key, nonce } = messageCipherKeys(messageKey)
  const sealed = aeadSeal(key, nonce, plaintext, concat([state.ad, headerBytes]))
  return { message: encodeRatchetMessage(headerBytes, sealed), nextState: { ...state, sendChain: chainKey, ns: state.ns + 1 } }
}

function open (state: RatchetState, message: RatchetMessage, messageKey: Uint8Array): Uint8Array {
  const { key, nonce } = messageCipherKeys(messageKey)
  return aeadOpen(key, nonce, message.sealed, concat([state.ad, message.headerBytes]))
}

/** Draft of the next state while a message is being received; only returned if it authenticates. */
type Draft = Pick<RatchetState, 'rootKey' | 'ours' | 'theirs' | 'sendChain' | 'receiveChain' | 'ns' | 'nr' | 'pn' | 'previousTheirs'> & { added: SkippedKey[] }

function skipUntil (d: Draft, until: number, limits: RatchetLimits): void {
  if (d.receiveChain === null || d.theirs === null) return
  if (until - d.nr > limits.maxSkipPerChain) e2eFail('E2E_TOO_MANY_SKIPPED', `message would skip ${until - d.nr} keys in one chain (at most ${limits.maxSkipPerChain})`)
  while (d.nr < until) {
    const { chainKey, messageKey } = kdfChain(d.receiveChain)
    d.added.push({ dh: d.theirs, n: d.nr, messageKey })
    d.receiveChain = chainKey
    d.nr += 1
  }
}

function dhRatchet (d: Draft, theirs: Uint8Array): void {
  d.pn = d.ns
  d.ns = 0
  d.nr = 0
  if (d.theirs !== null) d.previousTheirs = [d.theirs, ...d.previousTheirs].slice(0, MAX_PREVIOUS_RATCHET_KEYS)
  d.theirs = theirs
  const receiving = kdfRoot(d.rootKey, x25519(d.ours.privateKey, theirs))
  d.receiveChain = receiving.chainKey
  d.ours = newX25519KeyPair()
  const sending = kdfRoot(receiving.rootKey, x25519(d.ours.privateKey, theirs))
  d.rootKey = sending.rootKey
  d.sendChain = sending.chainKey
}

/**
 * Decrypts one message. Returns the plaintext and the state to store with it; `state` is untouched.
 * Refuses with E2E_REPLAY a message whose key was already used, E2E_TOO_MANY_SKIPPED one that would
 * need more skipped keys than `limits` allow, E2E_DECRYPT_FAILED any message that does not authenticate.
 */
export function ratchetDecrypt (state: RatchetState, message: RatchetMessage, limits: RatchetLimits = DEFAULT_RATCHET_LIMITS): { plaintext: Uint8Array, nextState: RatchetState, spent: SkippedKey } {
  const { header } = message
  const index = state.skipped.findIndex(k => k.n === header.n && equals(k.dh, header.dh))
  if (index >= 0) {
    const plaintext = open(state, message, state.skipped[index]!.messageKey)
    return { plaintext, nextState: { ...state, start: null, skipped: state.skipped.filter((_, i) => i !== index) }, spent: state.skipped[index]! }
  }
  const d: Draft = {
    rootKey: state.rootKey, ours: state.ours, theirs: state.theirs, sendChain: state.sendChain, receiveChain: state.receiveChain,
    ns: state.ns, nr: state.nr, pn: state.pn, added: [], previousTheirs: state.previousTheirs
  }
  if (d.theirs !== null && equals(header.dh, d.theirs)) {
    if (header.n < d.nr) e2eFail('E2E_REPLAY', 'message key already used (or forgotten)')
  } else {
    if (state.previousTheirs.some(k => equals(k, header.dh))) e2eFail('E2E_REPLAY', 'message from a finished chain whose key was already used')
    skipUntil(d, header.pn, limits)
    dhRatchet(d, header.dh)
  }
  skipUntil(d, header.n, limits)
  if (state.skipped.length + d.added.length > limits.maxSkippedTotal) e2eFail('E2E_TOO_MANY_SKIPPED', `message would hold more than ${limits.maxSkippedTotal} skipped keys`)
  // The initiator holds the peer's signed prekey as its first ratchet key but no chain for it.
  if (d.receiveChain === null) return e2eFail('E2E_DECRYPT_FAILED', 'no receiving chain for this ratchet key')
  const { chainKey, messageKey } = kdfChain(d.receiveChain)
  const plaintext = open(state, message, messageKey)
  return {
    plaintext,
    spent: { dh: header.dh, n: header.n, messageKey },
    nextState: {
      ...state,
      rootKey: d.rootKey, ours: d.ours, theirs: d.theirs, sendChain: d.sendChain, receiveChain: chainKey,
      ns: d.ns, nr: d.nr + 1, pn: d.pn, previousTheirs: d.previousTheirs,
      skipped: d.added.length === 0 ? state.skipped : [...state.skipped, ...d.added],
      start: null
    }
  }
}

/**
 * `state` holding again the key of a message it decrypted (`spent`), because that message could not
 * be stored (the receiver's disk was full): the same bytes can be opened when they come again.
 */
export function restoreSkippedKey (state: RatchetState, spent: SkippedKey): RatchetState {
  if (state.skipped.some(k => k.n === spent.n && equals(k.dh, spent.dh))) return state
  return { ...state, skipped: [...state.skipped, spent] }
}

/** Forgets all but the newest `keep` skipped keys: for a retention policy of the caller's. */
export function pruneSkippedKeys (state: RatchetState, keep: number): RatchetState {
  return state.skipped.length <= keep ? state : { ...state, skipped: keep <= 0 ? [] : state.skipped.slice(-keep) }
}
