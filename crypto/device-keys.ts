// The device's keys (DESIGN.md §2): an Ed25519 device key (the libp2p identity, it signs), an X25519
// identity key and an X25519 signed prekey rotated weekly. Secrets are seeds from the platform RNG.
import sodium from 'sodium-native'
import { ed25519FromSeed } from './ed25519.js'
import { fromBase64, toBase64 } from './encoding.js'
import { randomBytes } from './random.js'

export const PREKEY_ROTATION_MS = 7 * 24 * 3600 * 1000
/** A replaced prekey still answers session starts sent before the rotation reached the sender. */
export const PREKEY_GRACE_MS = 2 * PREKEY_ROTATION_MS

export interface X25519KeyPair { publicKey: Uint8Array, privateKey: Uint8Array }

export interface SignedPrekey extends X25519KeyPair {
  id: number
  createdAt: number
  /** When it was replaced (a previous prekey); none in a keystore from before session 29: createdAt + PREKEY_ROTATION_MS. */
  replacedAt?: number
}

/** Previous prekeys kept at most, newest first: a clock jumping back and forth cannot grow the keystore. */
const MAX_PREVIOUS_PREKEYS = 8

export interface DeviceKeys {
  device: { seed: Uint8Array, publicKey: Uint8Array }
  identity: X25519KeyPair
  prekey: SignedPrekey
  /** Replaced prekeys, newest first, kept for PREKEY_GRACE_MS after their replacement. */
  previousPrekeys: SignedPrekey[]
}

/** The keystore file's JSON form (version 1). */
export interface DeviceKeysJson {
  version: 1
  deviceSeed: string
  identityPrivateKey: string
  prekey: { id: number, createdAt: number, privateKey: string }
  previousPrekeys?: Array<{ id: number, createdAt: number, privateKey: string, replacedAt?: number }>
}

export function x25519FromPrivate (privateKey: Uint8Array): X25519KeyPair {
  const publicKey = new Uint8Array(sodium.crypto_scalarmult_BYTES)
  sodium.crypto_scalarmult_base(publicKey, privateKey)
  return { privateKey, publicKey }
}

function newPrekey (id: number, now: number): SignedPrekey {
  return { id, createdAt: now, ...x25519FromPrivate(randomBytes(32)) }
}

export function generateDeviceKeys (now = Date.now()): DeviceKeys {
  return {
    device: ed25519FromSeed(randomBytes(32)),
    identity: x25519FromPrivate(randomBytes(32)),
    prekey: newPrekey(1, now),
    previousPrekeys: []
  }
}

/**
 * Replaces the signed prekey once it is a week old; returns the same keys otherwise. The one replaced
 * is kept PREKEY_GRACE_MS from now, however old: colleagues still start sessions with it until they
 * hear of the new one (a desk off for a month, a clock jumped ahead, holds messages sealed to it).
 */
export function rotatePrekeyIfDue (keys: DeviceKeys, now = Date.now()): DeviceKeys {
  if (now - keys.prekey.createdAt < PREKEY_ROTATION_MS) return keys
  const earlier = keys.previousPrekeys.filter(p => now - (p.replacedAt ?? p.createdAt + PREKEY_ROTATION_MS) < PREKEY_GRACE_MS)
  const previousPrekeys = [{ ...keys.prekey, replacedAt: now }, ...earlier].slice(0, MAX_PREVIOUS_PREKEYS)
  return { ...keys, prekey: newPrekey(keys.prekey.id + 1, now), previousPrekeys }
}

function prekeyToJson (p: SignedPrekey): DeviceKeysJson['prekey'] & { replacedAt?: number } {
  return { id: p.id, createdAt: p.createdAt, privateKey: toBase64(p.privateKey), ...(p.replacedAt === undefined ? {} : { replacedAt: p.replacedAt }) }
}

function prekeyFromJson (p: DeviceKeysJson['prekey'] & { replacedAt?: number }): SignedPrekey {
  return { id: p.id, createdAt: p.createdAt, ...x25519FromPrivate(fromBase64(p.privateKey)), ...(typeof p.replacedAt === 'number' ? { replacedAt: p.replacedAt } : {}) }
}

export function deviceKeysToJson (keys: DeviceKeys): DeviceKeysJson {
  return {
    version: 1,
    deviceSeed: toBase64(keys.device.seed),
    identityPrivateKey: toBase64(keys.identity.privateKey),
    prekey: prekeyToJson(keys.prekey),
    previousPrekeys: keys.previousPrekeys.map(prekeyToJson)
  }
}

export function deviceKeysFromJson (json: DeviceKeysJson): DeviceKeys {
  if (json.version !== 1) throw new Error(`unsupported keystore version ${String(json.version)}`)
  return {
    device: ed25519FromSeed(fromBase64(json.deviceSeed)),
    identity: x25519FromPrivate(fromBase64(json.identityPrivateKey)),
    prekey: prekeyFromJson(json.prekey),
    previousPrekeys: (json.previousPrekeys ?? []).map(prekeyFromJson)
  }
}
