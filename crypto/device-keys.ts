// The device's keys (DESIGN.md §2): an Ed25519 device key (the libp2p identity, it signs), an X25519
// identity key and an X25519 signed prekey rotated weekly. Secrets are seeds from the platform RNG.
import { ed25519FromSeed } from './ed25519.js'
import { fromBase64, toBase64 } from './encoding.js'
import { randomBytes } from './random.js'
import type { Sodium } from './sodium.js'

export const PREKEY_ROTATION_MS = 7 * 24 * 3600 * 1000

export interface X25519KeyPair { publicKey: Uint8Array, privateKey: Uint8Array }

export interface SignedPrekey extends X25519KeyPair { id: number, createdAt: number }

export interface DeviceKeys {
  device: { seed: Uint8Array, publicKey: Uint8Array }
  identity: X25519KeyPair
  prekey: SignedPrekey
}

/** The keystore file's JSON form (version 1). */
export interface DeviceKeysJson {
  version: 1
  deviceSeed: string
  identityPrivateKey: string
  prekey: { id: number, createdAt: number, privateKey: string }
}

export function x25519FromPrivate (sodium: Sodium, privateKey: Uint8Array): X25519KeyPair {
  return { privateKey, publicKey: sodium.crypto_scalarmult_base(privateKey) }
}

export function newPrekey (sodium: Sodium, id: number, now: number): SignedPrekey {
  return { id, createdAt: now, ...x25519FromPrivate(sodium, randomBytes(32)) }
}

export function generateDeviceKeys (sodium: Sodium, now = Date.now()): DeviceKeys {
  return {
    device: ed25519FromSeed(randomBytes(32)),
    identity: x25519FromPrivate(sodium, randomBytes(32)),
    prekey: newPrekey(sodium, 1, now)
  }
}

/** Replaces the signed prekey once it is a week old; returns the same keys otherwise. */
export function rotatePrekeyIfDue (sodium: Sodium, keys: DeviceKeys, now = Date.now()): DeviceKeys {
  if (now - keys.prekey.createdAt < PREKEY_ROTATION_MS) return keys
  return { ...keys, prekey: newPrekey(sodium, keys.prekey.id + 1, now) }
}

export function deviceKeysToJson (keys: DeviceKeys): DeviceKeysJson {
  return {
    version: 1,
    deviceSeed: toBase64(keys.device.seed),
    identityPrivateKey: toBase64(keys.identity.privateKey),
    prekey: { id: keys.prekey.id, createdAt: keys.prekey.createdAt, privateKey: toBase64(keys.prekey.privateKey) }
  }
}

export function deviceKeysFromJson (sodium: Sodium, json: DeviceKeysJson): DeviceKeys {
  if (json.version !== 1) throw new Error(`unsupported keystore version ${String(json.version)}`)
  return {
    device: ed25519FromSeed(fromBase64(json.deviceSeed)),
    identity: x25519FromPrivate(sodium, fromBase64(json.identityPrivateKey)),
    prekey: { id: json.prekey.id, createdAt: json.prekey.createdAt, ...x25519FromPrivate(sodium, fromBase64(json.prekey.privateKey)) }
  }
}
