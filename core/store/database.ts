// The profile's one LevelDB database and its sub-databases (DESIGN.md §9). Multi-key changes are
// always one batch across these sub-databases. With the profile's master key, the values that hold
// content (contacts, conversations, messages, outbox, carried ciphertext, sessions, held notifications, digests, attachment records, staged files: they hold files' keys, and send ids: they hold a digest of what was sent) are sealed (value-encryption.ts);
// the journal (public-by-design commitments, hashed as stored), the membership log, the message
// index (ids to keys) and the search postings (keyed by HMAC tags of words, core/search) are not.
import { join } from 'node:path'
import type { SessionRecord } from '../../crypto/e2e/index.js'
import { CausetteError } from '../errors.js'
import type { BatchOp } from './batch.js'
import { currentMissing, damageReported, databaseDamaged, openBlocked } from './leveldb-damage.js'
import { RecoverableLevel, type StorageHealth } from './recoverable-level.js'
import { messageKey, type CarriedValue, type ChannelEntryValue, type ChannelRecord, type ContactRecord, type ConversationRecord, type MessageRecord, type OutboxValue, type ParkedGroupValue, type SendIdRecord } from './records.js'
import { sessionRecordEncoding } from './session-encoding.js'
import { jsonCodec, sealedEncoding, sealPlainValues, type TextCodec, type ValueEncryption } from './value-encryption.js'

type Root = RecoverableLevel

export interface Database {
  root: Root
  contacts: Sub<ContactRecord>
  conversations: Sub<ConversationRecord>
  messages: Sub<MessageRecord>
  /** message id → message key, for deduplication and state updates */
  messageIndex: Sub<string>
  /** `<amended message id>!<amending message id>` → the amending message's key: its edits, retraction and reactions */
  amendments: Sub<string>
  /** amended message id → 1: some edit, retraction or reaction names it (amended-ids.ts) */
  amended: Sub<1>
  /** `<amended message id>!<author PeerId>!<amending message id>` → 1: each author's amendments of a message, counted (core/messaging/amendment-budget.ts) */
  amendedBy: Sub<1>
  /** outbox key → the message id and its end-to-end ciphertext */
  outbox: Sub<OutboxValue>
  /** a client's sendId → the message it sent and a digest of its request (core/messaging/send-once.ts), written with the message */
  sendIds: Sub<SendIdRecord>
  /** pendingReceiptKey → 1: messages stored whose delivery receipt is not yet queued (survives a crash) */
  pendingReceipts: Sub<1>
  /** carriedKey → ciphertext held for an absent member */
  carried: Sub<CarriedValue>
  /** peer PeerId → end-to-end session record */
  sessions: ReturnType<typeof sessionSublevel>
  /** owned by core/journal */
  journal: ReturnType<typeof plainSublevel>
  /** owned by core/workspace: the membership log */
  membership: ReturnType<typeof plainSublevel>
  /** core/channels: `<channel id>!<entry hash>` → a signed channel log entry */
  channelEntries: Sub<ChannelEntryValue>
  /** core/channels: channel id → our record of the channel (seqs, who holds our sender key, settings) */
  channels: Sub<ChannelRecord>
  /** core/channels: channel id → our sending chain (a secret, like sessions) */
  ownChains: Sub<unknown>
  /** core/channels: `<channel id>!<sender device key>` → the sender's chains as we hold them */
  senderKeys: Sub<unknown>
  /** core/channels: group messages that came before their sender key or their channel log */
  parkedGroup: Sub<ParkedGroupValue>
  /** core/presence: `<time>!<message id>` → a notification held in focus or mute (checked on load) */
  heldNotifications: Sub<unknown>
  /** core/presence: `<time>!<digest id>` → a digest the user has not dismissed (checked on load) */
  digests: Sub<unknown>
  /** core/search: `<word tag>!<newest-first time>!<message id>` → '' (the postings, core/search/postings.ts) */
  searchPostings: ReturnType<typeof plainSublevel>
  /** core/search: word tag → the word (sealed): the words known, for prefix matching */
  searchWords: Sub<string>
  /** The key of the search index's word tags (crypto/search-tag.ts); fixed when values are not sealed. */
  searchKey: Uint8Array
  /** core/files: attachment id → its record (descriptor with the file's key, state, author, messages) */
  attachments: Sub<unknown>
  /** core/files: staged file id → its descriptor (with the file's key) and when it was staged */
  stagedFiles: Sub<unknown>
  /** small facts about the other sub-databases (e.g. how far the membership log is journaled) */
  meta: Sub<unknown>
  /** What LevelDB dropped from damaged files when it opened the database (leveldb-damage.ts); empty when nothing. */
  damage: string[]
  /** Whether writes are accepted (recoverable-level.ts: after a storage fault they are not, until it passes). */
  health: () => StorageHealth
  close: () => Promise<void>
}

type Sub<V> = ReturnType<typeof jsonSublevel<V>>

function sessionSublevel (root: Root, encryption?: ValueEncryption) {
  if (encryption === undefined) return root.sublevel('sessions', { keyEncoding: 'utf8', valueEncoding: sessionRecordEncoding })
  return root.sublevel('sessions', { keyEncoding: 'utf8', valueEncoding: sealedEncoding<SessionRecord>('sessions', sessionRecordEncoding, encryption.sealer('sessions')) })
}

function plainSublevel (root: Root, name: string) {
  return root.sublevel(name)
}

function jsonSublevel<V> (root: Root, name: string, encryption?: ValueEncryption) {
  if (encryption === undefined) return root.sublevel<string, V>(name, { keyEncoding: 'utf8', valueEncoding: 'json' })
  return root.sublevel<string, V>(name, { keyEncoding: 'utf8', valueEncoding: sealedEncoding(name, jsonCodec as TextCodec<V>, encryption.sealer(name)) })
}

/** The sublevels whose values are sealed when the database is opened with a ValueEncryption. */
export const SEALED_SUBLEVELS = ['contacts', 'conversations', 'messages', 'outbox', 'carried', 'sessions', 'channels', 'own-chains', 'sender-keys', 'parked-group', 'held-notifications', 'digests', 'search-words', 'attachments', 'staged-files', 'send-ids'] as const

/** A database opened without encryption holds its values in clear: its search tags need no secret. */
const UNSEALED_SEARCH_KEY = new Uint8Array(32)

/** Where the database records that every value of SEALED_SUBLEVELS is sealed. */
const AT_REST_META = 'at-rest'
const AT_REST_SEALED = 'sealed-v1'

/**
 * The profile's LevelDB opened, nothing read from it yet: whoever holds it holds the profile (LevelDB's
 * LOCK file), so a node that waits for its passphrase keeps every other process out (PROFILE_LOCKED).
 */
export interface HeldProfile {
  readonly root: Root
  /** Lets the profile go; nothing once a Database opened on it was closed. */
  release: () => Promise<void>
}

/** Takes the profile's lock before its key is known; PROFILE_LOCKED while another process holds it. */
export async function holdProfile (home: string): Promise<HeldProfile> {
  const dir = join(home, 'db')
  if (await currentMissing(dir)) throw databaseDamaged(dir, new Error('CURRENT is missing'))
  const root: Root = new RecoverableLevel(dir)
  try {
    await root.open()
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') {
      throw new CausetteError('PROFILE_LOCKED', `another causette node is running on ${home}`, { cause: error })
    }
    throw openBlocked(dir, error) ?? databaseDamaged(dir, error)
  }
  return {
    root,
    release: async () => {
      root.stopRecovery()
      await root.close()
    }
  }
}

/**
 * Opens the profile's database, on `held` if the caller holds the profile already (which stays the
 * caller's to release if this fails). With `encryption`, the content sublevels are sealed, and the
 * values a database written before encryption still holds are sealed first (once; resumable).
 */
export async function openDatabase (home: string, encryption?: ValueEncryption, held?: HeldProfile): Promise<Database> {
  const { root, release } = held ?? await holdProfile(home)
  const releaseOwn = async (): Promise<void> => { if (held === undefined) await release() }
  const damage = await damageReported(join(home, 'db'))
  if (encryption !== undefined) {
    try {
      await sealEarlierValues(root, encryption)
    } catch (error) {
      await releaseOwn()
      throw error
    }
  }
  const db: Database = {
    root,
    contacts: jsonSublevel<ContactRecord>(root, 'contacts', encryption),
    conversations: jsonSublevel<ConversationRecord>(root, 'conversations', encryption),
    messages: jsonSublevel<MessageRecord>(root, 'messages', encryption),
    messageIndex: jsonSublevel<string>(root, 'message-index'),
    amendments: jsonSublevel<string>(root, 'amendments'),
    amended: jsonSublevel<1>(root, 'amended'),
    amendedBy: jsonSublevel<1>(root, 'amended-by'),
    outbox: jsonSublevel<OutboxValue>(root, 'outbox', encryption),
    sendIds: jsonSublevel<SendIdRecord>(root, 'send-ids', encryption),
    pendingReceipts: jsonSublevel<1>(root, 'pending-receipts'),
    carried: jsonSublevel<CarriedValue>(root, 'carried', encryption),
    sessions: sessionSublevel(root, encryption),
    journal: plainSublevel(root, 'journal'),
    membership: plainSublevel(root, 'membership'),
    channelEntries: jsonSublevel<ChannelEntryValue>(root, 'channel-entries'),
    channels: jsonSublevel<ChannelRecord>(root, 'channels', encryption),
    ownChains: jsonSublevel<unknown>(root, 'own-chains', encryption),
    senderKeys: jsonSublevel<unknown>(root, 'sender-keys', encryption),
    parkedGroup: jsonSublevel<ParkedGroupValue>(root, 'parked-group', encryption),
    heldNotifications: jsonSublevel<unknown>(root, 'held-notifications', encryption),
    digests: jsonSublevel<unknown>(root, 'digests', encryption),
    searchPostings: plainSublevel(root, 'search-postings'),
    searchWords: jsonSublevel<string>(root, 'search-words', encryption),
    searchKey: encryption?.searchKey ?? UNSEALED_SEARCH_KEY,
    attachments: jsonSublevel<unknown>(root, 'attachments', encryption),
    stagedFiles: jsonSublevel<unknown>(root, 'staged-files', encryption),
    meta: jsonSublevel<unknown>(root, 'meta'),
    damage,
    health: () => root.health,
    close: release
  }
  try {
    await markEarlierAmendments(db)
  } catch (error) {
    await releaseOwn()
    throw error
  }
  return db
}

/** Where the database records that the targets of the amendments stored before `amended` existed are marked there. */
const AMENDED_MARKED = 'amended-marked-v1'
const MARK_BATCH = 1000

/** Marks the targets of the amendments stored before `amended` existed (once; resumable: a mark is idempotent). */
async function markEarlierAmendments (db: Pick<Database, 'amendments' | 'amended' | 'meta'>): Promise<void> {
  if (await db.meta.get(AMENDED_MARKED) !== undefined) return
  let marks: Array<{ type: 'put', key: string, value: 1 }> = []
  for await (const key of db.amendments.keys()) {
    marks.push({ type: 'put', key: key.slice(0, key.indexOf('!')), value: 1 })
    if (marks.length === MARK_BATCH) {
      await db.amended.batch(marks)
      marks = []
    }
  }
  if (marks.length > 0) await db.amended.batch(marks)
  await db.meta.put(AMENDED_MARKED, new Date().toISOString())
}

async function sealEarlierValues (root: Root, encryption: ValueEncryption): Promise<void> {
  const meta = root.sublevel<string, string>(AT_REST_META, { keyEncoding: 'utf8', valueEncoding: 'utf8' })
  if (await meta.get(AT_REST_SEALED) !== undefined) return
  let sealed = 0
  for (const name of SEALED_SUBLEVELS) {
    sealed += await sealPlainValues(root.sublevel<string, Uint8Array>(name, { keyEncoding: 'utf8', valueEncoding: 'view' }), encryption.sealer(name))
  }
  await meta.put(AT_REST_SEALED, new Date().toISOString())
  // LevelDB keeps overwritten values in its log and older tables until a compaction merges them:
  // compact everything now, so that the plain values are gone from the files.
  // (`level` types the browser's database too, which has no compactRange; classic-level has it.)
  if (sealed > 0) await (root as unknown as { compactRange: (start: string, end: string) => Promise<void> }).compactRange('\u0000', '\uffff')
}

/** Where a message stands in its conversation: when it arrived here (our clock), else, stored before that was kept, its claimed time. */
export function arrivalOf (message: Pick<MessageRecord, 'arrived' | 'time'>): number {
  return message.arrived ?? message.time
}

/**
 * A conversation's order: arrival here; within one millisecond, by author, then the author's own
 * order (seq), then id. A total order: comparing seq only between two messages of one author (and
 * ids otherwise) was not transitive when two authors shared a millisecond, and a sort could then
 * list an author's #103 before its #102 (the soak found it).
 */
export function byConversationOrder (a: MessageRecord, b: MessageRecord): number {
  return arrivalOf(a) - arrivalOf(b) || codeUnitOrder(a.author, b.author) || a.seq - b.seq || codeUnitOrder(a.id, b.id)
}

function codeUnitOrder (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Where an author's amendment of a message is counted: the author's amendments of it are one range. */
export function amendedByKey (target: string, author: string, id = ''): string {
  return `${target}!${author}!${id}`
}

/** The message `id` as stored, if held: found through the id index that `messageOps` writes. */
export async function heldMessage (db: Pick<Database, 'messages' | 'messageIndex'>, id: string): Promise<MessageRecord | undefined> {
  const key = await db.messageIndex.get(id)
  return key === undefined ? undefined : await db.messages.get(key)
}

/** The writes that store a message record (1:1 or channel): under its conversation and arrival time, and its id's index. */
export function messageOps (db: Pick<Database, 'messages' | 'messageIndex' | 'amendments' | 'amended' | 'amendedBy'>, message: MessageRecord): BatchOp[] {
  const key = messageKey(message.conversation, arrivalOf(message), message.id)
  return [
    { type: 'put', sublevel: db.messages, key, value: message },
    { type: 'put', sublevel: db.messageIndex, key: message.id, value: key },
    // An edit, retraction or reaction is found from the message it amends (core/messaging/amendments.ts).
    ...(message.amends !== undefined
      ? [
          { type: 'put' as const, sublevel: db.amendments, key: `${message.amends}!${message.id}`, value: key },
          { type: 'put' as const, sublevel: db.amended, key: message.amends, value: 1 as const },
          { type: 'put' as const, sublevel: db.amendedBy, key: amendedByKey(message.amends, message.author, message.id), value: 1 as const }
        ]
      : [])
  ]
}

/**
 * The writes that take out a stored message whose id another message takes over (a copier's:
 * core/messaging/id-owner.ts): every write of `messageOps` but the id's index, which the new
 * message's own writes point at itself in the same batch.
 */
export function displacedMessageOps (db: Pick<Database, 'messages' | 'amendments' | 'amendedBy'>, message: MessageRecord): BatchOp[] {
  return [
    { type: 'del', sublevel: db.messages, key: messageKey(message.conversation, arrivalOf(message), message.id) },
    ...(message.amends !== undefined
      ? [
          { type: 'del' as const, sublevel: db.amendments, key: `${message.amends}!${message.id}` },
          { type: 'del' as const, sublevel: db.amendedBy, key: amendedByKey(message.amends, message.author, message.id) }
        ]
      : [])
  ]
}
