// The verifier's PeerId derivation agrees with libp2p's for Ed25519 keys.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { ed25519FromSeed } from '../../crypto/ed25519.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'

describe('ed25519PeerId', () => {
  it('matches @libp2p/peer-id', () => {
    for (let seed = 0; seed < 50; seed++) {
      const { publicKey } = ed25519FromSeed(new Uint8Array(32).map((_, i) => (seed * 7 + i * 13) % 256))
      assert.equal(ed25519PeerId(publicKey), peerIdFromPublicKey(publicKeyFromRaw(publicKey)).toString())
    }
  })
})
