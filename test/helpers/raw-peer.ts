// A bare libp2p peer that speaks our wire format by hand, for feeding a node frames that a real
// node would never send.
import '../../core/polyfill.js'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import { createLibp2p } from 'libp2p'
import type { TestContext } from 'node:test'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { toBase64Url, utf8 } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { bodyCommitment, signStatement } from '../../crypto/statement-signature.js'
import { directConversationId } from '../../crypto/conversation.js'
import { MESSAGE_PROTOCOL, RECORD_PROTOCOL } from '../../core/protocol/limits.js'
import { answerRecordExchange } from '../../core/protocol/record-protocol.js'
import { signDeviceRecord } from '../../crypto/device-record.js'
import { loadSodium } from '../../crypto/sodium.js'
import type { CausetteNode } from '../../core/node/node.js'
import { OPEN_WORKSPACE } from '../../core/messaging/messenger.js'
import { Ack, Envelope, type SignedRecord } from '../../core/protocol/wire.js'
import { addressOf } from './nodes.js'

export async function rawPeer (t: TestContext) {
  const seed = randomBytes(32)
  const keys = ed25519FromSeed(seed)
  const libp2p = await createLibp2p({
    privateKey: await generateKeyPairFromSeed('Ed25519', seed),
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  t.after(async () => { await libp2p.stop() })
  const sign = ed25519Signer(seed)
  // Serve a valid device record, as every causette node does, so that only the frames under test are odd.
  const sodium = await loadSodium()
  const record = signDeviceRecord(sign, {
    device: keys.publicKey,
    identityKey: sodium.crypto_scalarmult_base(randomBytes(32)),
    prekeyId: 1,
    prekey: sodium.crypto_scalarmult_base(randomBytes(32)),
    name: 'raw peer',
    color: '#123456',
    updated: Date.now()
  })
  await libp2p.handle(RECORD_PROTOCOL, (stream, connection) => { void answerRecordExchange(stream, connection, { record: record.bytes, signature: record.signature } as SignedRecord, () => {}) })

  return {
    libp2p,
    publicKey: keys.publicKey,
    sign,
    /** A correctly signed envelope from this peer to `to`, with fields overridable for attacks. */
    envelope (to: CausetteNode, text = 'hello', overrides: { author?: Uint8Array, sign?: (m: Uint8Array) => Uint8Array, id?: string } = {}): Envelope {
      const toKey = publicKeyOf(to)
      const salt = randomBytes(32)
      const body = utf8(text)
      const author = overrides.author ?? keys.publicKey
      const { bytes, signature } = signStatement(overrides.sign ?? sign, {
        workspace: OPEN_WORKSPACE,
        conversation: directConversationId(author, toKey),
        author,
        recipients: [toKey],
        id: overrides.id ?? toBase64Url(randomBytes(32)),
        time: Date.now(),
        bodyHash: bodyCommitment(salt, body)
      })
      return { statement: bytes, signature, salt, body } as Envelope
    },
    /** Opens a message stream: `send` writes an envelope or raw frame bytes, `ack` reads one ack. */
    async open (to: CausetteNode, protocol = MESSAGE_PROTOCOL) {
      const stream = await libp2p.dialProtocol(multiaddr(addressOf(to)), protocol)
      const lp = lpStream(stream)
      return {
        stream,
        send: async (frame: Envelope | Uint8Array) => { await lp.write(frame instanceof Uint8Array ? frame : Envelope.encode(frame)) },
        ack: async () => Ack.decode(await lp.read())
      }
    }
  }
}

/** The Ed25519 key of a node: an Ed25519 PeerId embeds it. */
export function publicKeyOf (node: CausetteNode): Uint8Array {
  const key = peerIdFromString(node.peerId).publicKey
  if (key === undefined) throw new Error('peer id without a key')
  return key.raw
}
