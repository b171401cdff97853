// The libp2p PeerId of an Ed25519 key, computed here so the verifier can check that the peer an
// entry names is the key that signed (or received) the message: base58btc of the identity
// multihash (0x00, length 0x24) of the protobuf public key (type Ed25519 0x08 0x01, data 0x12 0x20).
import { toString } from 'uint8arrays'

const PREFIX = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20]

export function ed25519PeerId (publicKey: Uint8Array): string {
  return toString(Uint8Array.from([...PREFIX, ...publicKey]), 'base58btc')
}

/** A journal's origin and key name: a purpose label, then the PeerId of the node's device key. */
export function journalOrigin (peerId: string): string {
  return `causette/journal/v1/${peerId}`
}
