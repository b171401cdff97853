// What the channel parts share: the node's stores, sessions and journal, our identity, and the
// workspace's say on who is still a member. node/channels-wiring.ts builds it once.
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import type { Signer } from '../../crypto/signing.js'
import { CausetteError } from '../errors.js'
import type { ContactBook } from '../messaging/contact-book.js'
import type { Outbox } from '../messaging/outbox.js'
import type { ReceiptWriter } from '../messaging/receipts.js'
import type { SearchPort } from '../messaging/search-port.js'
import type { Sessions } from '../messaging/sessions.js'
import type { SignedMessageAcceptor } from '../messaging/signed-message.js'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'
import type { GroupCommit } from '../store/group-commit.js'
import type { MessageRecord } from '../store/records.js'
import type { ChannelStore, HeldChannel } from './store.js'

/** What the channels record in the journal, in domain terms (the node builds the entries). */
export interface ChannelJournal<Entry> {
  /** `peer` is one of the statement's recipients (an auditor checks it is). */
  messageSent: (message: MessageRecord) => Entry
  messageReceived: (message: MessageRecord) => Entry
  channelEntry: (e: { time: number, channel: string, change: string, entry: string, signature: string }) => Entry
  senderKey: (k: { time: number, direction: 'sent' | 'received', peer: string, channel: string, chain: string, generation: number }) => Entry
}

export type ChannelChange =
  | { type: 'channel', channel: string }
  | { type: 'channel-message', message: MessageRecord }

export interface ChannelContext<Entry> {
  db: Database
  store: ChannelStore
  contacts: Pick<ContactBook, 'get'>
  outbox: Outbox
  sessions: Sessions
  /** The node's one acceptor of signed messages, shared with 1:1 messages. */
  acceptor: SignedMessageAcceptor
  commit: Pick<GroupCommit<Entry, BatchOp>, 'write'>
  journal: ChannelJournal<Entry>
  me: { peerId: string, deviceKey: Uint8Array, sign: Signer }
  workspaceId: () => string | undefined
  /** Whether the device of this PeerId is still a member of the workspace: one removed is gone from every channel. */
  inWorkspace: (peerId: string) => boolean
  /** Whether it is us, a member, or a device removed since: who may have created a channel we are handed. */
  wasInWorkspace: (peerId: string) => boolean
  /** Sends what the outbox holds for `peer` (or gives it to carriers). */
  flush: (peer: string) => void
  /** Exchanges the channel's log with the connected peers it concerns (after a change). */
  replicate: (channel: string) => void
  /** Called once a change is durable. */
  changed: (change: ChannelChange) => void
  /**
   * Signed receipts to authors (the messenger's writer): `delivered` for a message that did not come
   * straight from its author, `read` when the user reads the channel.
   */
  receipts: Pick<ReceiptWriter<Entry>, 'owedOp' | 'owe' | 'seal'>
  /** Whether the user lets authors see when they read their messages. */
  readReceipts: () => boolean
  /** The search index: a new message is indexed in the batch that stores it. */
  search: SearchPort
  now: () => number
}

export const peerIdOf = (device: Uint8Array): string => ed25519PeerId(device)

export function requireChannel (store: ChannelStore, id: string): HeldChannel {
  const held = store.get(id)
  if (held === undefined) throw new CausetteError('NOT_FOUND', 'no such channel')
  return held
}
