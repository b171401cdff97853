// Sender-key chains as JSON (base64 strings), to store and read back: our own sending chain in a
// channel, and the chains received from one colleague. Parsing is strict: a form that does not parse
// exactly is refused with E2E_BAD_STATE.
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SEED_BYTES } from '../ed25519.js'
import { toBase64 } from '../encoding.js'
import { jsonReader, type JsonReader } from './json-reader.js'
import { CHAIN_ID_BYTES, CHANNEL_ID_PATTERN, CHAIN_KEY_BYTES, MAX_PREVIOUS_CHAINS, type ChainEnd, type OwnSenderChain, type ReceivedChain, type SenderKeyRecord } from './sender-key.js'

const STORED_VERSION = 1

export interface OwnSenderChainJson {
  version: 1
  channelId: string
  sender: string
  chainId: string
  generation: number
  iteration: number
  chainKey: string
  signingSeed: string
  signingKey: string
  createdAt: number
  /** Absent in chains stored before it existed: read as none. */
  previous?: Array<{ chainId: string, iteration: number }>
}

export interface ReceivedChainJson {
  chainId: string
  generation: number
  iteration: number
  chainKey: string
  signingKey: string
  skipped: Array<{ iteration: number, messageKey: string }>
  retiredAt: number | null
  unused?: true
}

export interface SenderKeyRecordJson {
  version: 1
  channelId: string
  sender: string
  chains: ReceivedChainJson[]
}

export function ownSenderChainToJson (chain: OwnSenderChain): OwnSenderChainJson {
  return {
    version: STORED_VERSION,
    channelId: chain.channelId,
    sender: toBase64(chain.sender),
    chainId: toBase64(chain.chainId),
    generation: chain.generation,
    iteration: chain.iteration,
    chainKey: toBase64(chain.chainKey),
    signingSeed: toBase64(chain.signing.seed),
    signingKey: toBase64(chain.signing.publicKey),
    createdAt: chain.createdAt,
    previous: chain.previous.map(end => ({ chainId: toBase64(end.chainId), iteration: end.iteration }))
  }
}

export function senderKeyRecordToJson (record: SenderKeyRecord): SenderKeyRecordJson {
  return {
    version: STORED_VERSION,
    channelId: record.channelId,
    sender: toBase64(record.sender),
    chains: record.chains.map(receivedChainToJson)
  }
}

function receivedChainToJson (chain: ReceivedChain): ReceivedChainJson {
  return {
    chainId: toBase64(chain.chainId),
    generation: chain.generation,
    iteration: chain.iteration,
    chainKey: toBase64(chain.chainKey),
    signingKey: toBase64(chain.signingKey),
    skipped: chain.skipped.map(skipped => ({ iteration: skipped.iteration, messageKey: toBase64(skipped.messageKey) })),
    retiredAt: chain.retiredAt,
    ...(chain.unused === true ? { unused: true as const } : {})
  }
}

export function ownSenderChainFromJson (json: unknown): OwnSenderChain {
  const read = jsonReader('own sender chain')
  const chain = read.record(json, 'chain')
  if (chain.version !== STORED_VERSION) read.fail('unknown version')
  return {
    channelId: channelIdOf(read, chain.channelId),
    sender: read.bytes(chain.sender, ED25519_PUBLIC_KEY_BYTES, 'sender'),
    chainId: read.bytes(chain.chainId, CHAIN_ID_BYTES, 'chainId'),
    generation: read.u32(chain.generation, 'generation'),
    iteration: read.u32(chain.iteration, 'iteration'),
    chainKey: read.bytes(chain.chainKey, CHAIN_KEY_BYTES, 'chainKey'),
    signing: {
      seed: read.bytes(chain.signingSeed, ED25519_SEED_BYTES, 'signingSeed'),
      publicKey: read.bytes(chain.signingKey, ED25519_PUBLIC_KEY_BYTES, 'signingKey')
    },
    createdAt: read.time(chain.createdAt, 'createdAt'),
    previous: chain.previous === undefined ? [] : previousFromJson(read, chain.previous)
  }
}

function previousFromJson (read: JsonReader, json: unknown): ChainEnd[] {
  const list = read.list(json, 'previous')
  if (list.length > MAX_PREVIOUS_CHAINS) read.fail(`previous holds more than ${MAX_PREVIOUS_CHAINS} chains`)
  return list.map(item => chainEndFromJson(read, item))
}

function chainEndFromJson (read: JsonReader, json: unknown): ChainEnd {
  const end = read.record(json, 'previous chain')
  return { chainId: read.bytes(end.chainId, CHAIN_ID_BYTES, 'previous.chainId'), iteration: read.u32(end.iteration, 'previous.iteration') }
}

export function senderKeyRecordFromJson (json: unknown): SenderKeyRecord {
  const read = jsonReader('sender key record')
  const record = read.record(json, 'record')
  if (record.version !== STORED_VERSION) read.fail('unknown version')
  return {
    channelId: channelIdOf(read, record.channelId),
    sender: read.bytes(record.sender, ED25519_PUBLIC_KEY_BYTES, 'sender'),
    chains: read.list(record.chains, 'chains').map(item => receivedChainFromJson(read, item))
  }
}

function receivedChainFromJson (read: JsonReader, json: unknown): ReceivedChain {
  const chain = read.record(json, 'chain')
  return {
    chainId: read.bytes(chain.chainId, CHAIN_ID_BYTES, 'chainId'),
    generation: read.u32(chain.generation, 'generation'),
    iteration: read.u32(chain.iteration, 'iteration'),
    chainKey: read.bytes(chain.chainKey, CHAIN_KEY_BYTES, 'chainKey'),
    signingKey: read.bytes(chain.signingKey, ED25519_PUBLIC_KEY_BYTES, 'signingKey'),
    skipped: read.list(chain.skipped, 'skipped').map(item => {
      const skipped = read.record(item, 'skipped key')
      return { iteration: read.u32(skipped.iteration, 'skipped.iteration'), messageKey: read.bytes(skipped.messageKey, CHAIN_KEY_BYTES, 'skipped.messageKey') }
    }),
    retiredAt: chain.retiredAt === null ? null : read.time(chain.retiredAt, 'retiredAt'),
    ...(chain.unused === true ? { unused: true as const } : {})
  }
}

function channelIdOf (read: JsonReader, value: unknown): string {
  return typeof value === 'string' && CHANNEL_ID_PATTERN.test(value) ? value : read.fail('channelId is not a channel id')
}
