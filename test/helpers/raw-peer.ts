// A bare libp2p peer that speaks our wire format by hand, for feeding a node frames that a real node
// would never send. It has real device keys, exchanges device records like a node and encrypts end
// to end like one, so that each test breaks exactly one thing.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { TestContext } from 'node:test'
import { directConversationId } from '../../crypto/conversation.js'
import { generateDeviceKeys } from '../../crypto/device-keys.js'
import { signDeviceRecord } from '../../crypto/device-record.js'
import { encodePayload, encryptMessage, localDevice, startSession, type InnerPayload, type SessionRecord } from '../../crypto/e2e/index.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { toBase64Url, utf8 } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { bodyCommitment, signStatement } from '../../crypto/statement-signature.js'
import type { Signer } from '../../crypto/signing.js'
import { OPEN_WORKSPACE } from '../../core/messaging/messenger.js'
import { MESSAGE_PROTOCOL, RECORD_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { answerRecordExchange, exchangeRecords } from '../../core/protocol/record-protocol.js'
import { Ack, Envelope, type SignedRecord } from '../../core/protocol/wire.js'
import type { CausetteNode } from '../../core/node/node.js'
import { addressOf } from './nodes.js'

export interface Forgery {
  /** The statement's author key (default: this peer's). */
  author?: Uint8Array
  /** Who signs the statement (default: this peer). */
  sign?: Signer
  id?: string
  /** The body's salt (default random): with it a test knows the id derived from it (crypto/message-id.ts). */
  salt?: Uint8Array
  /** The statement's seq (default 1). */
  seq?: number
  /** The conversation the statement names (default: the 1:1 conversation of its author and the recipient). */
  conversation?: string
  /** Changes the inner payload after signing. */
  tamper?: (payload: InnerPayload) => InnerPayload
}

export interface RawPeerOptions {
  /** The most a node may send us on one stream unread (yamux's window, at least its first 256 KiB): the window never grows past it. */
  maxStreamWindowBytes?: number
}

export async function rawPeer (t: TestContext, options: RawPeerOptions = {}) {
  const keys = generateDeviceKeys()
  const sign = ed25519Signer(keys.device.seed)
  const libp2p = await createLibp2p({
    privateKey: await generateKeyPairFromSeed('Ed25519', keys.device.seed),
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux(options.maxStreamWindowBytes === undefined ? {} : { streamOptions: { maxStreamWindowSize: options.maxStreamWindowBytes } })],
    // libp2p's connection monitor pings the node every 10 s and aborts the connection when an answer
    // takes over 5 s: a node busy with this peer's own flood on a loaded machine, and the peer then
    // ended its own attack (its writes rejected with a StreamAbortEvent, flood.test.ts under load).
    // What a test asks of the node must not hang on this peer's patience.
    connectionMonitor: { enabled: false }
  })
  t.after(async () => { await libp2p.stop() })
  const signed = signDeviceRecord(sign, {
    device: keys.device.publicKey,
    identityKey: keys.identity.publicKey,
    prekeyId: keys.prekey.id,
    prekey: keys.prekey.publicKey,
    name: 'raw peer',
    color: '#123456',
    updated: Date.now()
  })
  const record = { record: signed.bytes, signature: signed.signature } as SignedRecord
  await libp2p.handle(RECORD_PROTOCOL, (stream, connection) => { void answerRecordExchange(stream, connection, record, () => {}) })
  const sessions = new Map<string, SessionRecord>()
  const ours = localDevice(keys)

  /** Our session with `to`: started at first use, after exchanging device records. */
  async function sessionWith (to: CausetteNode): Promise<SessionRecord> {
    const session = sessions.get(to.peerId)
    if (session !== undefined) return session
    const connection = await libp2p.dial(multiaddr(addressOf(to)))
    const theirs = await exchangeRecords(connection, record)
    return startSession(ours, { device: theirs.device, identityKey: theirs.identityKey, prekeyId: theirs.prekeyId, prekey: theirs.prekey })
  }

  /** Any plaintext (a receipt, a sender key distribution...), sealed in our session with `to`. */
  async function sealPlaintext (to: CausetteNode, plaintext: Uint8Array): Promise<Uint8Array> {
    const { message, nextRecord } = encryptMessage(await sessionWith(to), plaintext)
    sessions.set(to.peerId, nextRecord)
    return message
  }

  /** A message from this peer to `to`, signed, then sealed in our session with it. */
  async function seal (to: CausetteNode, text: string, forgery: Forgery = {}): Promise<Uint8Array> {
    const toKey = publicKeyOf(to)
    const salt = forgery.salt ?? randomBytes(32)
    const body = utf8(text)
    const author = forgery.author ?? keys.device.publicKey
    const statement = signStatement(forgery.sign ?? sign, {
      workspace: OPEN_WORKSPACE,
      conversation: forgery.conversation ?? directConversationId(author, toKey),
      author,
      recipients: [toKey],
      id: forgery.id ?? toBase64Url(randomBytes(32)),
      time: Date.now(),
      seq: forgery.seq ?? 1,
      bodyHash: bodyCommitment(salt, body)
    })
    const payload = (forgery.tamper ?? (p => p))({ statement: statement.bytes, signature: statement.signature, salt, body })
    return await sealPlaintext(to, encodePayload(payload, Number.MAX_SAFE_INTEGER))
  }

  return {
    libp2p,
    publicKey: keys.device.publicKey,
    sign,
    seal,
    sealPlaintext,
    /** Opens a message stream: `send` writes an envelope (or raw frame bytes), `ack` reads one ack. */
    async open (to: CausetteNode, protocol = MESSAGE_PROTOCOL) {
      const stream = await libp2p.dialProtocol(multiaddr(addressOf(to)), protocol)
      const lp = lpStream(stream)
      return {
        stream,
        send: async (frame: Uint8Array) => { await lp.write(frame) },
        sendSealed: async (sealed: Uint8Array) => { await lp.write(Envelope.encode({ sealed: sealed as Uint8Array<ArrayBuffer> })) },
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
