// An X3DH-style session start without one-time prekeys (Signal's X3DH spec, §3, with no OPK):
//   DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B)
//   SK  = HKDF-SHA256(salt = 32 zero bytes, ikm = 0xFF * 32 || DH1 || DH2 || DH3, info = "causette/x3dh/v1")
//   AD  = IK_A || IK_B || DEV_A || DEV_B   (X25519 identity keys, then Ed25519 device keys; A initiates)
// The responder's identity key and signed prekey come from its device record, whose signature by
// its device key the caller has checked; the initiator's identity key must be the one pinned for it.
import type { SignedPrekey, X25519KeyPair } from '../device-keys.js'
import { concat, equals, utf8 } from '../encoding.js'
import { e2eFail } from './errors.js'
import { hkdfSha256 } from './kdf.js'
import type { SessionStart } from './wire.js'
import { newX25519KeyPair, x25519 } from './x25519.js'

const X3DH_INFO = utf8('causette/x3dh/v1')
const F = new Uint8Array(32).fill(0xff)
const ZERO_SALT = new Uint8Array(32)

/** Our side: the Ed25519 device key and the X25519 keys it published. */
export interface LocalDevice {
  device: Uint8Array
  identity: X25519KeyPair
  /** The current signed prekey and any recent ones still accepted for session starts. */
  prekeys: readonly SignedPrekey[]
}

/** The peer's side, as in its verified device record. */
export interface RemoteDevice {
  device: Uint8Array
  identityKey: Uint8Array
  prekeyId: number
  prekey: Uint8Array
}

export interface X3dhResult {
  sharedKey: Uint8Array
  ad: Uint8Array
}

/** SK from the three DH outputs, in the order above. */
export function x3dhSharedKey (dh1: Uint8Array, dh2: Uint8Array, dh3: Uint8Array): Uint8Array {
  return hkdfSha256(concat([F, dh1, dh2, dh3]), ZERO_SALT, X3DH_INFO, 32)
}

export function x3dhInitiate (ours: LocalDevice, theirs: RemoteDevice): X3dhResult & { start: SessionStart } {
  const ephemeral = newX25519KeyPair()
  const sharedKey = x3dhSharedKey(
    x25519(ours.identity.privateKey, theirs.prekey),
    x25519(ephemeral.privateKey, theirs.identityKey),
    x25519(ephemeral.privateKey, theirs.prekey))
  return {
    sharedKey,
    ad: concat([ours.identity.publicKey, theirs.identityKey, ours.device, theirs.device]),
    start: { identityKey: ours.identity.publicKey, baseKey: ephemeral.publicKey, prekeyId: theirs.prekeyId }
  }
}

export function findPrekey (ours: LocalDevice, prekeyId: number): SignedPrekey {
  return ours.prekeys.find(p => p.id === prekeyId) ?? e2eFail('E2E_UNKNOWN_PREKEY', `no signed prekey ${prekeyId}`)
}

/** `theirs.identityKey` is the pinned key: a start naming another identity key is refused. */
export function x3dhRespond (ours: LocalDevice, theirs: Pick<RemoteDevice, 'device' | 'identityKey'>, start: SessionStart): X3dhResult {
  if (!equals(start.identityKey, theirs.identityKey)) e2eFail('E2E_IDENTITY_MISMATCH', 'the session start names another identity key than the one pinned for this device')
  const prekey = findPrekey(ours, start.prekeyId)
  const sharedKey = x3dhSharedKey(
    x25519(prekey.privateKey, start.identityKey),
    x25519(ours.identity.privateKey, start.baseKey),
    x25519(prekey.privateKey, start.baseKey))
  return { sharedKey, ad: concat([theirs.identityKey, ours.identity.publicKey, theirs.device, ours.device]) }
}
