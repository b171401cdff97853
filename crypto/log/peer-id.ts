// The libp2p PeerId of an Ed25519 key, computed here so the verifier can check that the peer an
// entry names is the key that signed (or received) the message: base58btc of the identity
// multihash (0x00, length 0x24) of the protobuf public key (type Ed25519 0x08 0x01, data 0x12 0x20).
import { toString } from 'uint8arrays'

const PREFIX = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20]
// A journal names a handful of peers many times over; base58 costs microseconds each time.
const cache = new Map<string, string>()
const CACHE_MAX = 1024

export function ed25519PeerId (publicKey: Uint8Array): string {
  const key = String.fromCharCode(...publicKey)
  let peerId = cache.get(key)
  if (peerId === undefined) {
    peerId = toString(Uint8Array.from([...PREFIX, ...publicKey]), 'base58btc')
    if (cache.size >= CACHE_MAX) cache.clear()
    cache.set(key, peerId)
  }
  return peerId
}

/** A journal's origin and key name: a purpose label, then the PeerId of the node's device key. */
export function journalOrigin (peerId: string): string {
  return `causette/journal/v1/${peerId}`
}
