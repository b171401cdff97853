// The channels this node holds, in memory and in LevelDB: each channel's log (rebuilt and verified
// from its entries on start), our record of it, our sending chain, and the chains of the other
// members as we hold them. Everything is read from memory and changed synchronously, so concurrent
// sends and receives see each other's steps; each change is returned as a batch operation that the
// caller writes with the message or entry it belongs to (as core/messaging/sessions.ts does).
import { ChannelLog, channelConversationId, type ChannelPrimitives } from '../../crypto/channel-log.js'
import { fromBase64, toBase64, toBase64Url } from '../../crypto/encoding.js'
import { carriedMessage, restoreGroupKey, type OwnSenderChain, type SenderKeyRecord, type SpentGroupKey } from '../../crypto/e2e/sender-key.js'
import { ownSenderChainFromJson, ownSenderChainToJson, senderKeyRecordFromJson, senderKeyRecordToJson } from '../../crypto/e2e/sender-key-json.js'
import type { SignedEntry } from '../../crypto/membership-log.js'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'
import type { ChannelRecord, MessageRecord } from '../store/records.js'
import { summaryWithout } from '../messaging/id-owner.js'
import { KeysInUse } from '../messaging/keys-in-use.js'
import { UnstoredSeqs } from '../messaging/unstored-seqs.js'

export interface HeldChannel {
  log: ChannelLog
  record: ChannelRecord
}

function newChannelRecord (id: string): ChannelRecord {
  return { id, lastSeq: 0, received: {}, distributedTo: [], lastMessageId: null, lastTime: 0, unread: 0 }
}

const senderKeyOf = (channel: string, sender: Uint8Array): string => `${channel}!${toBase64Url(sender)}`

export class ChannelStore {
  private readonly channels = new Map<string, HeldChannel>()
  private readonly conversations = new Map<string, string>()
  private readonly chains = new Map<string, OwnSenderChain>()
  private readonly senderKeys = new Map<string, SenderKeyRecord>()
  /** Per sender record, the keys of group messages opened and not yet stored or refused. */
  private readonly keysInUse = new KeysInUse<SpentGroupKey>()
  /** Received channel messages whose batch failed: a record written must not claim them. */
  readonly unstored = new UnstoredSeqs()

  private constructor (private readonly db: Database, readonly primitives: ChannelPrimitives) {}

  /**
   * Loads every channel; one whose stored log has no valid create entry is left out, and a stored
   * entry that no longer verifies (one an older version took) is left out of its log; both are
   * reported to the caller, which logs them.
   */
  static async load (db: Database, primitives: ChannelPrimitives, problem: (channel: string, error: unknown) => void): Promise<ChannelStore> {
    const store = new ChannelStore(db, primitives)
    const entries = new Map<string, SignedEntry[]>()
    for await (const [key, value] of db.channelEntries.iterator()) {
      const channel = key.slice(0, key.indexOf('!'))
      entries.set(channel, [...entries.get(channel) ?? [], { bytes: fromBase64(value.bytes), signature: fromBase64(value.signature) }])
    }
    const records = new Map<string, ChannelRecord>()
    for await (const [id, record] of db.channels.iterator()) records.set(id, record)
    for (const [id, signed] of entries) {
      try {
        const { log, refusal } = ChannelLog.restore(primitives, signed)
        store.adopt(log, records.get(id) ?? newChannelRecord(id))
        if (refusal !== undefined) problem(id, refusal)
      } catch (error) {
        problem(id, error)
      }
    }
    for await (const [id, json] of db.ownChains.iterator()) store.chains.set(id, ownSenderChainFromJson(json))
    for await (const [key, json] of db.senderKeys.iterator()) store.senderKeys.set(key, senderKeyRecordFromJson(json))
    return store
  }

  /** Holds a new channel's log (its entries are written by the caller with entryOps). */
  adopt (log: ChannelLog, record = newChannelRecord(log.channelId)): HeldChannel {
    const held = { log, record }
    this.channels.set(log.channelId, held)
    this.conversations.set(channelConversationId(log.channelId), log.channelId)
    return held
  }

  get (id: string): HeldChannel | undefined { return this.channels.get(id) }
  all (): HeldChannel[] { return [...this.channels.values()] }
  /** The channel whose statements name this conversation id. */
  byConversation (conversation: string): HeldChannel | undefined {
    const id = this.conversations.get(conversation)
    return id === undefined ? undefined : this.channels.get(id)
  }

  entryOps (channel: string, entries: SignedEntry[]): BatchOp[] {
    return entries.map(e => ({ type: 'put', sublevel: this.db.channelEntries, key: `${channel}!${toBase64Url(this.primitives.sha256(e.bytes))}`, value: { bytes: toBase64(e.bytes), signature: toBase64(e.signature) } }))
  }

  /**
   * Keeps `record` in memory now; the op writes it, less the received seqs whose message failed to
   * be stored since it was built (catch-up state never runs ahead of the messages it describes).
   */
  setRecord (record: ChannelRecord): BatchOp {
    const held = this.channels.get(record.id)
    if (held !== undefined) held.record = record
    const unstored = this.unstored
    return { type: 'put', sublevel: this.db.channels, key: record.id, get value () { return { ...record, received: unstored.without(record.id, record.received) } } }
  }

  /**
   * A copier's channel message taken out (core/messaging/id-owner.ts): its channel's record counts
   * it no more, nor names it as the latest; the write, and its undo should the batch fail.
   */
  forgetTakenOut (message: MessageRecord): { ops: BatchOp[], undo: () => void } {
    const held = message.channel === undefined ? undefined : this.channels.get(message.channel)
    if (held === undefined) return { ops: [], undo: () => {} }
    const change = summaryWithout(message)
    const op = this.setRecord(change.forget(held.record))
    return { ops: [op], undo: () => { held.record = change.undo(held.record) } }
  }

  ownChain (channel: string): OwnSenderChain | undefined { return this.chains.get(channel) }

  setOwnChain (chain: OwnSenderChain): BatchOp {
    this.chains.set(chain.channelId, chain)
    return { type: 'put', sublevel: this.db.ownChains, key: chain.channelId, value: ownSenderChainToJson(chain) }
  }

  senderKey (channel: string, sender: Uint8Array): SenderKeyRecord | undefined { return this.senderKeys.get(senderKeyOf(channel, sender)) }

  /**
   * Keeps `record` in memory now; the op writes the record as it is when its batch is written (as
   * sessions.ts does), with the keys of the other messages still being stored left unspent
   * (`useKey`): a key is spent on disk only with its message, so a write that fails loses nothing.
   */
  setSenderKey (record: SenderKeyRecord, own?: SpentGroupKey): BatchOp {
    const key = senderKeyOf(record.channelId, record.sender)
    this.senderKeys.set(key, record)
    const records = this.senderKeys
    const inUse = this.keysInUse
    return { type: 'put', sublevel: this.db.senderKeys, key, get value () { return senderKeyRecordToJson(inUse.unspent(key, records.get(key) ?? record, restoreGroupKey, own)) } }
  }

  /** A message of `sender`'s chain `chainId` is being stored: the chain carried one (its record's next write says so). */
  carried (channel: string, sender: Uint8Array, chainId: Uint8Array): void {
    const key = senderKeyOf(channel, sender)
    const record = this.senderKeys.get(key)
    if (record !== undefined) this.senderKeys.set(key, carriedMessage(record, chainId))
  }

  /**
   * A group message opened with `spent` is being stored: until `done`, records written keep its key
   * unspent. `giveBack` when it could not be stored (a fault of ours): the key opens the retry.
   */
  useKey (channel: string, sender: Uint8Array, spent: SpentGroupKey): { done: () => void, giveBack: () => void } {
    const key = senderKeyOf(channel, sender)
    const done = this.keysInUse.use(key, spent)
    const giveBack = (): void => {
      done()
      const record = this.senderKeys.get(key)
      if (record !== undefined) this.senderKeys.set(key, restoreGroupKey(record, spent))
    }
    return { done, giveBack }
  }

  allSenderKeys (): SenderKeyRecord[] { return [...this.senderKeys.values()] }
}
