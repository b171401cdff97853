// PeerIds (core/node/peer-ids.ts): a peer's text parsed once, the same PeerId after, bad text refused.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PeerIds } from '../../core/node/peer-ids.js'

test('a peer id is parsed once and given back as the same PeerId; a malformed one is refused', async () => {
  const text = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const peerIds = new PeerIds()
  const first = peerIds.of(text)
  assert.equal(first.toString(), text)
  assert.equal(peerIds.of(text), first)
  assert.throws(() => peerIds.of('12D3KooWnot-a-peer'))
})
