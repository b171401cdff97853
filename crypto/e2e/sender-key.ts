// Sender Keys for channels (Signal's group messaging; docs/channels.md). Each member has its own
// sending chain per channel: a chain key ratcheted by HMAC-SHA256 once per message (the Double
// Ratchet's chain step, ratchet-kdf.ts), one message key per message, and an Ed25519 signing key that
// proves to the other members which member sent a message. A member hands its chain to each other
// member once, as a distribution sent over their pairwise session; rotation is a new chain.
//
// Group message, in bytes (every field up to and including the iteration is associated data):
//   version u8 1 | channel id length u8 | channel id (ASCII) | sender device key (32) | chain id (16)
//   | iteration u32 | sealed length u32 | XChaCha20-Poly1305 ciphertext and tag | signature (64)
// The signature covers `causette/sender-key/v1\n` and every byte before it.
//
// All pure, as the 1:1 layer: each call returns the state to store in the same batch as the message.
// A message key is deleted once used (forward secrecy within a chain); a failed message leaves nothing.
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SEED_BYTES, ED25519_SIGNATURE_BYTES, ed25519FromSeed, ed25519Signer, ed25519Verify, type Ed25519KeyPair } from '../ed25519.js'
import { concat, equals, toBase64, utf8 } from '../encoding.js'
import { randomBytes } from '../random.js'
import { purposeLabel } from '../signing-labels.js'
import { AEAD_KEY_BYTES, AEAD_NONCE_BYTES, AEAD_TAG_BYTES, aeadOpen, aeadSeal } from './aead.js'
import { ByteReader, isU32, u32be } from './bytes.js'
import { e2eFail } from './errors.js'
import { hkdfSha256 } from './kdf.js'
import { kdfChain } from './ratchet-kdf.js'
import { MAX_SEALED_BYTES } from './wire.js'

export interface SenderKeyLimits {
  /** Most message keys one message may skip (messages of the chain not received yet). */
  maxSkip: number
  /** Most skipped keys held per chain; beyond it the oldest are forgotten. */
  maxSkippedPerChain: number
  /** Most chains held per sender: the current one and the ones rotated out, still read for late messages. */
  maxChainsPerSender: number
}
export const DEFAULT_SENDER_KEY_LIMITS: SenderKeyLimits = { maxSkip: 1000, maxSkippedPerChain: 2000, maxChainsPerSender: 5 }
/** The timer of rotation: a chain older than this is replaced before the next message (rotationDue). */
export const SENDER_KEY_ROTATION_MS = 24 * 3600 * 1000
/** How long a rotated-out chain still decrypts late messages (pruneSenderKeys). */
export const RETIRED_CHAIN_KEEP_MS = 7 * 24 * 3600 * 1000

const VERSION = 1
export const CHAIN_ID_BYTES = 16
/** A chain key, and each message key it gives. */
export const CHAIN_KEY_BYTES = 32
const MAX_COUNTER = 0xffffffff
export const CHANNEL_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
const SIGNED_PREFIX = utf8(`${purposeLabel('sender-key')}\n`)
const MESSAGE_INFO = utf8('causette/sender-key-message/v1')
const ZERO_SALT = new Uint8Array(32)
/** Parsing a private key for node:crypto costs about ten signatures: signers of our own chains are kept, by public key. */
const signers = new Map<string, (message: Uint8Array) => Uint8Array>()
const MAX_SIGNERS = 256

function signerOf (signing: Ed25519KeyPair): (message: Uint8Array) => Uint8Array {
  const cacheKey = toBase64(signing.publicKey)
  let sign = signers.get(cacheKey)
  if (sign === undefined) {
    if (signers.size >= MAX_SIGNERS) signers.clear()
    sign = ed25519Signer(signing.seed)
    signers.set(cacheKey, sign)
  }
  return sign
}

/** Our own sending chain in one channel. */
export interface OwnSenderChain {
  channelId: string
  /** Our device key. */
  sender: Uint8Array
  chainId: Uint8Array
  /** 0 for our first chain in the channel, one more at each rotation: receivers keep the newest current. */
  generation: number
  /** The iteration of the next message; `chainKey` is the chain key at that iteration. */
  iteration: number
  chainKey: Uint8Array
  signing: Ed25519KeyPair
  /** When the chain was made: the caller rotates it on a timer. */
  createdAt: number
  /**
   * The chains this one replaced, newest first (up to MAX_PREVIOUS_CHAINS), and the iteration each
   * stopped at: our leave names them with this one, so that members still take what we sent on them.
   */
  previous: readonly ChainEnd[]
}

/** Where one of our chains stopped: its id and the iteration of the message it never sent. */
export interface ChainEnd { chainId: Uint8Array, iteration: number }
/** A receiver keeps 5 chains of a sender (DEFAULT_SENDER_KEY_LIMITS): the current one and 4 before it. */
export const MAX_PREVIOUS_CHAINS = 4

/** What a member sends to each other member, over their pairwise session, to let them read its chain. */
export interface SenderKeyDistribution {
  channelId: string
  sender: Uint8Array
  chainId: Uint8Array
  generation: number
  iteration: number
  chainKey: Uint8Array
  signingKey: Uint8Array
}

export interface SkippedGroupKey { iteration: number, messageKey: Uint8Array }

/** One of a sender's chains as a receiver holds it. */
export interface ReceivedChain {
  chainId: Uint8Array
  generation: number
  /** The next iteration expected; `chainKey` is the chain key at that iteration. */
  iteration: number
  chainKey: Uint8Array
  signingKey: Uint8Array
  /** Keys of messages not received yet, oldest first. */
  skipped: readonly SkippedGroupKey[]
  /** When a newer chain of the sender replaced it; null for the current chain. */
  retiredAt: number | null
  /**
   * Handed over, and no message of it stored here yet (a message opened and then refused does not
   * count). Absent in chains stored before session 30: read as having carried one.
   */
  unused?: true
}

/** Whether `chain` has carried no message stored here since it was handed over. */
export function carriedNothing (chain: ReceivedChain): boolean {
  return chain.unused === true
}

/** `record` once a message of its chain `chainId` is stored here. */
export function carriedMessage (record: SenderKeyRecord, chainId: Uint8Array): SenderKeyRecord {
  if (!record.chains.some(chain => chain.unused === true && equals(chain.chainId, chainId))) return record
  return { ...record, chains: record.chains.map(chain => equals(chain.chainId, chainId) ? withoutUnused(chain) : chain) }
}

function withoutUnused ({ unused: _unused, ...chain }: ReceivedChain): ReceivedChain {
  return chain
}

/** Everything a receiver holds of one sender in one channel; chains newest (highest generation) first. */
export interface SenderKeyRecord {
  channelId: string
  sender: Uint8Array
  chains: readonly ReceivedChain[]
}

export interface GroupMessage {
  channelId: string
  sender: Uint8Array
  chainId: Uint8Array
  iteration: number
  /** The bytes before the sealed part: associated data. */
  headerBytes: Uint8Array
  sealed: Uint8Array
  /** The bytes the signature covers (after the label line). */
  signedBytes: Uint8Array
  signature: Uint8Array
}

const badMessage = (why: string): never => e2eFail('E2E_BAD_MESSAGE', `group message: ${why}`)
const badDistribution = (why: string): never => e2eFail('E2E_BAD_MESSAGE', `sender key distribution: ${why}`)

function checkChannelId (channelId: string, fail: (why: string) => never): void {
  if (!CHANNEL_ID_PATTERN.test(channelId)) fail('channel id is not 1 to 64 base64url characters')
}

function readChannelId (reader: ByteReader): string {
  return String.fromCharCode(...reader.take(reader.u8('channel id length'), 'channel id'))
}

/** A new sending chain: random chain key, chain id and signing key. `previous` is the chain it replaces. */
export function newSenderChain (channelId: string, sender: Uint8Array, now: number, previous?: OwnSenderChain): OwnSenderChain {
  checkChannelId(channelId, why => e2eFail('E2E_BAD_STATE', why))
  let chainId = randomBytes(CHAIN_ID_BYTES)
  while (previous !== undefined && equals(chainId, previous.chainId)) chainId = randomBytes(CHAIN_ID_BYTES)
  const generation = previous === undefined ? 0 : previous.generation + 1
  if (!isU32(generation)) e2eFail('E2E_BAD_STATE', 'no generation left for a new chain')
  const previousChains = previous === undefined ? [] : [{ chainId: previous.chainId, iteration: previous.iteration }, ...previous.previous].slice(0, MAX_PREVIOUS_CHAINS)
  return { channelId, sender, chainId, generation, iteration: 0, chainKey: randomBytes(CHAIN_KEY_BYTES), signing: ed25519FromSeed(randomBytes(ED25519_SEED_BYTES)), createdAt: now, previous: previousChains }
}

/** Whether the timer says to replace our chain before the next message (departures are the caller's other reason: lostMembers). */
export function rotationDue (chain: OwnSenderChain, now: number, periodMs = SENDER_KEY_ROTATION_MS): boolean {
  return now - chain.createdAt >= periodMs || chain.iteration >= MAX_COUNTER
}

/** The chain from its current iteration on: a member given it reads only what is sent from now. */
export function distributionOf (chain: OwnSenderChain): SenderKeyDistribution {
  return { channelId: chain.channelId, sender: chain.sender, chainId: chain.chainId, generation: chain.generation, iteration: chain.iteration, chainKey: chain.chainKey, signingKey: chain.signing.publicKey }
}

/** version u8 1 | channel id length u8 | channel id | sender (32) | chain id (16) | generation u32 | iteration u32 | chain key (32) | signing key (32) */
export function encodeDistribution (distribution: SenderKeyDistribution): Uint8Array {
  checkChannelId(distribution.channelId, badDistribution)
  if (!isU32(distribution.iteration) || !isU32(distribution.generation)) badDistribution('generation and iteration must be u32')
  if (distribution.sender.length !== ED25519_PUBLIC_KEY_BYTES || distribution.chainId.length !== CHAIN_ID_BYTES || distribution.chainKey.length !== CHAIN_KEY_BYTES || distribution.signingKey.length !== ED25519_PUBLIC_KEY_BYTES) badDistribution('a key of the wrong length')
  return concat([Uint8Array.of(VERSION, distribution.channelId.length), utf8(distribution.channelId), distribution.sender, distribution.chainId, u32be(distribution.generation), u32be(distribution.iteration), distribution.chainKey, distribution.signingKey])
}

export function decodeDistribution (bytes: Uint8Array): SenderKeyDistribution {
  const reader = new ByteReader(bytes, badDistribution)
  if (reader.u8('version') !== VERSION) badDistribution('unknown version')
  const channelId = readChannelId(reader)
  checkChannelId(channelId, badDistribution)
  const fields = { channelId, sender: reader.take(ED25519_PUBLIC_KEY_BYTES, 'sender'), chainId: reader.take(CHAIN_ID_BYTES, 'chain id'), generation: reader.u32('generation'), iteration: reader.u32('iteration'), chainKey: reader.take(CHAIN_KEY_BYTES, 'chain key'), signingKey: reader.take(ED25519_PUBLIC_KEY_BYTES, 'signing key') }
  reader.end()
  return { ...fields, sender: fields.sender.slice(), chainId: fields.chainId.slice(), chainKey: fields.chainKey.slice(), signingKey: fields.signingKey.slice() }
}

/**
 * Takes in a distribution that arrived over the pairwise session with `from` (the authenticated peer
 * device). The chain of the highest generation is the sender's current one; the others are retired at
 * `now` (a late distribution of an older chain arrives retired) and still read late messages until
 * pruned. A chain already held is kept as it is (it may be ahead).
 */
export function acceptDistribution (record: SenderKeyRecord | undefined, distribution: SenderKeyDistribution, from: Uint8Array, now: number, limits: SenderKeyLimits = DEFAULT_SENDER_KEY_LIMITS): SenderKeyRecord {
  if (!equals(distribution.sender, from)) badDistribution('sent by another device than the sender it names')
  if (record !== undefined && (record.channelId !== distribution.channelId || !equals(record.sender, distribution.sender))) e2eFail('E2E_BAD_STATE', 'sender key record of another channel or sender')
  const chains = record?.chains ?? []
  const held = chains.find(held => equals(held.chainId, distribution.chainId))
  if (held !== undefined) {
    if (!equals(held.signingKey, distribution.signingKey)) e2eFail('E2E_SENDER_KEY_CONFLICT', 'a chain we hold, with another signing key')
    return record!
  }
  const fresh: ReceivedChain = { chainId: distribution.chainId, generation: distribution.generation, iteration: distribution.iteration, chainKey: distribution.chainKey, signingKey: distribution.signingKey, skipped: [], retiredAt: null, unused: true }
  const sorted = [fresh, ...chains].sort((a, b) => b.generation - a.generation)
  const retired = sorted.map((chain, i) => i > 0 && chain.retiredAt === null ? { ...chain, retiredAt: now } : chain)
  return { channelId: distribution.channelId, sender: distribution.sender, chains: retired.slice(0, limits.maxChainsPerSender) }
}

function cipherKeys (messageKey: Uint8Array): { key: Uint8Array, nonce: Uint8Array } {
  const out = hkdfSha256(messageKey, ZERO_SALT, MESSAGE_INFO, AEAD_KEY_BYTES + AEAD_NONCE_BYTES)
  return { key: out.subarray(0, AEAD_KEY_BYTES), nonce: out.subarray(AEAD_KEY_BYTES) }
}

function encodeHeader (channelId: string, sender: Uint8Array, chainId: Uint8Array, iteration: number): Uint8Array {
  return concat([Uint8Array.of(VERSION, channelId.length), utf8(channelId), sender, chainId, u32be(iteration)])
}

/** Encrypts and signs one message with the chain's next key; returns the chain to store with it. */
export function encryptGroupMessage (chain: OwnSenderChain, plaintext: Uint8Array): { message: Uint8Array, nextChain: OwnSenderChain } {
  if (chain.iteration >= MAX_COUNTER) e2eFail('E2E_BAD_STATE', 'sending chain exhausted: rotate it')
  if (plaintext.length > MAX_SEALED_BYTES - AEAD_TAG_BYTES) e2eFail('E2E_BAD_PAYLOAD', `group message over ${MAX_SEALED_BYTES - AEAD_TAG_BYTES} bytes`)
  const { chainKey, messageKey } = kdfChain(chain.chainKey)
  const headerBytes = encodeHeader(chain.channelId, chain.sender, chain.chainId, chain.iteration)
  const { key, nonce } = cipherKeys(messageKey)
  const sealed = aeadSeal(key, nonce, plaintext, headerBytes)
  const signedBytes = concat([headerBytes, u32be(sealed.length), sealed])
  const signature = signerOf(chain.signing)(concat([SIGNED_PREFIX, signedBytes]))
  return { message: concat([signedBytes, signature]), nextChain: { ...chain, chainKey, iteration: chain.iteration + 1 } }
}

/** Reads a group message's fields without decrypting it: the caller finds the sender's record by them. */
export function decodeGroupMessage (bytes: Uint8Array): GroupMessage {
  if (bytes.length > MAX_SEALED_BYTES + 256) badMessage(`over ${MAX_SEALED_BYTES + 256} bytes`)
  const reader = new ByteReader(bytes, badMessage)
  if (reader.u8('version') !== VERSION) badMessage('unknown version')
  const channelId = readChannelId(reader)
  checkChannelId(channelId, badMessage)
  const sender = reader.take(ED25519_PUBLIC_KEY_BYTES, 'sender')
  const chainId = reader.take(CHAIN_ID_BYTES, 'chain id')
  const iteration = reader.u32('iteration')
  if (iteration >= MAX_COUNTER) badMessage('iteration past the last one a chain sends')
  const headerBytes = bytes.subarray(0, reader.position)
  const sealed = reader.sized(MAX_SEALED_BYTES, 'ciphertext')
  if (sealed.length < AEAD_TAG_BYTES) badMessage('truncated ciphertext')
  const signedBytes = bytes.subarray(0, reader.position)
  const signature = reader.take(ED25519_SIGNATURE_BYTES, 'signature')
  reader.end()
  return { channelId, sender, chainId, iteration, headerBytes, sealed, signedBytes, signature }
}

/** Derives the key of `iteration` in `chain`: from the skipped keys (deleting it) or forward, keeping the keys passed over. */
function takeMessageKey (chain: ReceivedChain, iteration: number, limits: SenderKeyLimits): { messageKey: Uint8Array, next: ReceivedChain } {
  if (iteration < chain.iteration) {
    const index = chain.skipped.findIndex(k => k.iteration === iteration)
    if (index < 0) e2eFail('E2E_REPLAY', 'group message key already used (or forgotten)')
    return { messageKey: chain.skipped[index]!.messageKey, next: { ...chain, skipped: chain.skipped.filter((_, i) => i !== index) } }
  }
  if (iteration - chain.iteration > limits.maxSkip) e2eFail('E2E_TOO_MANY_SKIPPED', `group message would skip ${iteration - chain.iteration} keys (at most ${limits.maxSkip})`)
  const added: SkippedGroupKey[] = []
  let chainKey = chain.chainKey
  for (let i = chain.iteration; i < iteration; i++) {
    const step = kdfChain(chainKey)
    added.push({ iteration: i, messageKey: step.messageKey })
    chainKey = step.chainKey
  }
  const step = kdfChain(chainKey)
  const skipped = added.length === 0 ? chain.skipped : [...chain.skipped, ...added].slice(-limits.maxSkippedPerChain)
  return { messageKey: step.messageKey, next: { ...chain, chainKey: step.chainKey, iteration: iteration + 1, skipped } }
}

/**
 * Decrypts one group message with the record of its sender (found by decodeGroupMessage's channel id
 * and sender). Refuses with E2E_NO_SENDER_KEY a chain we do not hold, E2E_BAD_SIGNATURE a message not
 * signed by its chain's key, E2E_REPLAY a key already used, E2E_TOO_MANY_SKIPPED a jump over maxSkip,
 * E2E_DECRYPT_FAILED anything that does not authenticate. `record` is never changed.
 */
export function decryptGroupMessage (record: SenderKeyRecord, message: Uint8Array | GroupMessage, limits: SenderKeyLimits = DEFAULT_SENDER_KEY_LIMITS): { plaintext: Uint8Array, nextRecord: SenderKeyRecord, spent: SpentGroupKey } {
  const decoded = message instanceof Uint8Array ? decodeGroupMessage(message) : message
  if (decoded.channelId !== record.channelId || !equals(decoded.sender, record.sender)) e2eFail('E2E_BAD_STATE', 'sender key record of another channel or sender')
  const index = record.chains.findIndex(held => equals(held.chainId, decoded.chainId))
  if (index < 0) e2eFail('E2E_NO_SENDER_KEY', 'no sender key for this chain: its distribution has not arrived (or the chain was dropped)')
  const chain = record.chains[index]!
  if (!ed25519Verify(chain.signingKey, concat([SIGNED_PREFIX, decoded.signedBytes]), decoded.signature)) e2eFail('E2E_BAD_SIGNATURE', 'group message not signed by its sender chain')
  const { messageKey, next } = takeMessageKey(chain, decoded.iteration, limits)
  const { key, nonce } = cipherKeys(messageKey)
  const plaintext = aeadOpen(key, nonce, decoded.sealed, decoded.headerBytes)
  return { plaintext, nextRecord: { ...record, chains: record.chains.map((held, i) => i === index ? next : held) }, spent: { chainId: decoded.chainId, iteration: decoded.iteration, messageKey } }
}

/** The key a group message used, and its chain: `restoreGroupKey` gives it back if the message is not stored. */
export interface SpentGroupKey extends SkippedGroupKey { chainId: Uint8Array }

/**
 * `record` holding again the key of a group message it decrypted, because that message could not be
 * stored (the receiver's disk was full): the same bytes can be opened when they come again. Nothing
 * changes if the chain is no longer held or never went past that key.
 */
export function restoreGroupKey (record: SenderKeyRecord, spent: SpentGroupKey): SenderKeyRecord {
  const restore = (chain: ReceivedChain): ReceivedChain => {
    if (!equals(chain.chainId, spent.chainId) || spent.iteration >= chain.iteration || chain.skipped.some(k => k.iteration === spent.iteration)) return chain
    const skipped = [...chain.skipped, { iteration: spent.iteration, messageKey: spent.messageKey }].sort((a, b) => a.iteration - b.iteration)
    return { ...chain, skipped }
  }
  return { ...record, chains: record.chains.map(restore) }
}

/** Drops the chains retired more than `keepMs` before `now`: their late messages can no longer be read. */
export function pruneSenderKeys (record: SenderKeyRecord, now: number, keepMs = RETIRED_CHAIN_KEEP_MS): SenderKeyRecord {
  const chains = record.chains.filter(chain => chain.retiredAt === null || now - chain.retiredAt <= keepMs)
  return chains.length === record.chains.length ? record : { ...record, chains }
}
