// What the node keeps in LevelDB, one type per sub-database. Keys and bytes are base64 strings so
// that every value is plain JSON.

/** Where a message is on its way: the API's MessageState (core/api/schema.ts) mirrors it. */
export type MessageState = 'queued' | 'sent' | 'delivered' | 'read' | 'failed'

/**
 * Which of an author's messages in a conversation we hold, by their signed seq (1, 2, 3, ...): every
 * seq up to `contiguous`, and the few above it that came early (core/messaging/seq-set.ts works on it).
 */
export interface SeqSet {
  contiguous: number
  /** Sorted, all greater than contiguous + 1 */
  above: number[]
}

export interface ContactRecord {
  peerId: string
  name: string
  color: string
  /** Pinned on first contact (trust on first use). */
  deviceKey: string
  identityKey: string
  prekeyId: number
  prekey: string
  recordUpdated: number
  pinnedAt: number
  lastSeen: number | null
  addresses: string[]
  /**
   * Set when the peer presented an identity key other than the pinned one: that key, with the
   * prekey of the same record (absent in records stored before they were kept), until the user accepts it.
   */
  keyChanged?: { identityKey: string, seenAt: number, prekeyId?: number, prekey?: string, recordUpdated?: number }
  /** When the user compared the safety number and marked these pinned keys verified; cleared when they change. */
  verifiedAt?: number
}

export interface ConversationRecord {
  id: string
  peer: string
  /** The seq of the last message this node wrote in the conversation. */
  lastSeq: number
  /** Per author PeerId, the seqs of its messages we hold (catch-up sync tells the author). */
  received?: Record<string, SeqSet>
  lastMessageId: string | null
  lastTime: number
  unread: number
}

/** What a client's sendId sent: the message, and digests of the request that sent it (a retry must ask the same). */
export interface SendIdRecord {
  message: string
  /** The request, its files named by their staged ids. */
  request: string
  /** The request, its files named by their content: a file staged again for the retry. */
  content?: string
  /** When the message was sent (ms): the record is pruned a week later. Absent: written before pruning was. */
  time?: number
}

export interface MessageRecord {
  id: string
  conversation: string
  direction: 'in' | 'out'
  author: string
  peer: string
  text: string
  /** base64 salt of the body commitment */
  salt: string
  /** base64 of the exact signed statement bytes, and its signature */
  statement: string
  signature: string
  /** The author's clock when it signed the message (the statement's): shown, never used to order. */
  time: number
  /**
   * Our clock when we sent or received it: a conversation reads in this order, which no other
   * machine's clock can change. Absent in records stored before it existed (then `time` orders).
   */
  arrived?: number
  /** The author's sequence number in the conversation, from the statement. */
  seq: number
  state: MessageState
  stateTime: number
  /** When the message reached each state it went through. */
  stateTimes: Partial<Record<MessageState, number>>
  stateReason?: string
  /** The statement's urgent reason. */
  urgent?: string
  verified: boolean
  /** An edit, retraction or reaction: the id of the message it amends (core/messaging/amendments.ts). */
  amends?: string
  /** A channel message: the channel id. `text` is the exact body (core/messaging/body.ts), 1:1 or channel. */
  channel?: string
  /** A channel message: its frame (base64) as sent, served as is to members catching up. */
  group?: string
  /**
   * One of our 1:1 messages that reached its recipient while they were in focus (and was not
   * urgent): it arrived silently, and their focus lasted until then (null: no end).
   */
  silentUntil?: number | null
  /**
   * One of our channel messages: where each member it was sent to (PeerId) stands. The record's own
   * `state` stays `sent`; these move on with each member's ack or receipt.
   */
  members?: Record<string, MemberDelivery>
}

/** A member's copy of one of our channel messages. */
export interface MemberDelivery {
  state: MemberState
  time: number
  /** Delivered while the member was in focus: until when (null: no end). */
  silentUntil?: number | null
  /** Why it failed. */
  reason?: string
}

export type MemberState = Extract<MessageState, 'sent' | 'delivered' | 'read' | 'failed'>

/**
 * An outbox entry: a message or a signed receipt, sealed for its recipient at queue time (base64).
 * A message's record is in `messages` under its id; a receipt, a sender key distribution or a
 * member's copy of a channel message (`receipt: true`) is only this; a copy names its message (`copyOf`).
 */
export interface OutboxValue { id: string, sealed: string, receipt?: true, copyOf?: string }

/** Ciphertext held for an absent member (store-and-forward): `carried` sub-database. */
export interface CarriedValue {
  /** PeerIds */
  author: string
  recipient: string
  /** The Envelope.sealed bytes, base64 */
  sealed: string
  bytes: number
  received: number
  expires: number
  /** The attachment ids the deposit named (fetched from the author, held as carried files); absent if none. */
  files?: string[]
}

/** Carried key: `<recipient PeerId>!<received, 16 digits>!<id>`, so a recipient's items read in order. */
export function carriedKey (recipient: string, received: number, id: string): string {
  return `${recipient}!${String(received).padStart(16, '0')}!${id}`
}

/** A message's recipient stored it and owes its author a receipt: `<author PeerId>!<conversation>!<id>`. */
export function pendingReceiptKey (author: string, conversation: string, id: string): string {
  return `${author}!${conversation}!${id}`
}

/** Outbox key: `<peerId>!<time, 16 digits>!<message id>`, so a peer's queue reads in order. */
export function outboxKey (peer: string, time: number, id: string): string {
  return `${peer}!${String(time).padStart(16, '0')}!${id}`
}

/** Message key: `<conversation>!<arrival time, 16 digits>!<message id>`: a conversation reads in the order it arrived here. */
export function messageKey (conversation: string, time: number, id: string): string {
  return `${conversation}!${String(time).padStart(16, '0')}!${id}`
}

/** A signed channel log entry (base64), `channelEntries` sub-database. */
export interface ChannelEntryValue { bytes: string, signature: string }

/** What this node keeps about a channel it holds the log of: `channels` sub-database. */
export interface ChannelRecord {
  id: string
  /** The seq of the last message this node wrote in the channel. */
  lastSeq: number
  /** Per author PeerId, the seqs of its messages in the channel we hold (catch-up asks for the rest). */
  received: Record<string, SeqSet>
  /** Device keys (base64) our current sending chain was distributed to. */
  distributedTo: string[]
  lastMessageId: string | null
  lastTime: number
  unread: number
  /** Muted until (Unix ms), or for good (null); absent when not muted. */
  mutedUntil?: number | null
}

/** A group message that came before its sender key or its channel's log: `parkedGroup` sub-database. */
export interface ParkedGroupValue {
  /** The Envelope.sealed bytes (base64). */
  frame: string
  from: string
  parkedAt: number
}
