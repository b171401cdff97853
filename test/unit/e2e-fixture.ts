// Two devices with real keys, and a session between them, for the end-to-end tests.
import assert from 'node:assert/strict'
import { generateDeviceKeys, type DeviceKeys } from '../../crypto/device-keys.js'
import type { E2eError, E2eErrorCode } from '../../crypto/e2e/errors.js'
import type { RatchetLimits, RatchetState } from '../../crypto/e2e/ratchet.js'
import { encryptMessage, localDevice, receiveMessage, startSession, type Received, type SessionRecord } from '../../crypto/e2e/session.js'
import type { LocalDevice, RemoteDevice } from '../../crypto/e2e/x3dh.js'
import { signPayload } from '../../crypto/e2e/payload.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { fromUtf8, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { bodyCommitment } from '../../crypto/statement-signature.js'
import type { Statement } from '../../crypto/statement.js'

export interface Device { keys: DeviceKeys, local: LocalDevice, remote: RemoteDevice }

export function device (): Device {
  const keys = generateDeviceKeys()
  return {
    keys,
    local: localDevice(keys),
    remote: { device: keys.device.publicKey, identityKey: keys.identity.publicKey, prekeyId: keys.prekey.id, prekey: keys.prekey.publicKey }
  }
}

/** One side of a conversation: its device, its peer and its stored session record. */
export class Party {
  record: SessionRecord | undefined
  constructor (readonly me: Device, readonly peer: Device) {}

  /** The current session. */
  get state (): RatchetState | undefined { return this.record?.current }

  start (): void {
    this.record = startSession(this.me.local, this.peer.remote, this.record)
  }

  send (plaintext: string | Uint8Array): Uint8Array {
    const { message, nextRecord } = encryptMessage(this.record!, typeof plaintext === 'string' ? utf8(plaintext) : plaintext)
    this.record = nextRecord
    return message
  }

  /** Receives and keeps the next state, as the node does in its batch. */
  receive (message: Uint8Array, limits?: RatchetLimits): string {
    const { plaintext, nextRecord } = this.tryReceive(message, limits)
    this.record = nextRecord
    return fromUtf8(plaintext)
  }

  tryReceive (message: Uint8Array, limits?: RatchetLimits): Received {
    return receiveMessage(this.me.local, this.peer.remote, this.record, message, limits)
  }
}

export function pair (): { alice: Party, bob: Party } {
  const a = device()
  const b = device()
  const alice = new Party(a, b)
  alice.start()
  return { alice, bob: new Party(b, a) }
}

export function refusedWith (code: E2eErrorCode): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.equal((e as E2eError).code, code)
    return true
  }
}

export function flipBit (bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice()
  out[bit >> 3]! ^= 1 << (bit & 7)
  return out
}

/** A signed inner payload from `author` to `recipient`, as the node would encrypt it. */
export function signedPayload (author: Device, recipient: Device, text: string): Uint8Array {
  const salt = randomBytes(32)
  const body = utf8(text)
  const statement: Statement = {
    workspace: 'lan',
    conversation: toBase64Url(new Uint8Array(16).fill(4)),
    author: author.keys.device.publicKey,
    recipients: [recipient.keys.device.publicKey],
    id: toBase64Url(randomBytes(32)),
    time: 1_700_000_000_000,
    seq: 1,
    bodyHash: bodyCommitment(salt, body)
  }
  return signPayload(ed25519Signer(author.keys.device.seed), statement, salt, body)
}
