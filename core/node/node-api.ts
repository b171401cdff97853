// The node's public interface: what the local API, the CLI and tests may use. The API layer talks
// to this, never to the store or to libp2p.
import type { ConversationView, EventFrame, MessagesQuery, MessageView, NodeStatus, PeerView } from '../api/schema.js'

export interface EventStream {
  /** Calls `listener` for every event after `since` (those still buffered first), then live ones. */
  subscribe: (since: number | undefined, listener: (frame: EventFrame) => void) => () => void
  readonly epoch: string
  readonly lastId: number
}

export interface JournalExportFilter {
  with?: string
  conversation?: string
  since?: number
  until?: number
  redact?: boolean
}

export interface NodeApi {
  status: () => Promise<NodeStatus>
  peers: () => Promise<PeerView[]>
  conversations: () => Promise<ConversationView[]>
  messages: (query: MessagesQuery) => Promise<MessageView[]>
  /** `to` is a PeerId or a display name; resolves once the message is durably queued. */
  send: (to: string, text: string) => Promise<MessageView>
  markRead: (conversation: string) => Promise<void>
  setName: (name: string) => Promise<void>
  /** The journal as an export file, streamed line by line (docs/log-format.md). */
  exportJournal: (filter: JournalExportFilter) => AsyncIterable<string>
  readonly events: EventStream
}
