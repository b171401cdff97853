// The part of NodeApi about 1:1 conversations: listing them, reading and searching messages, sending,
// editing, deleting and reacting, marking read, and exporting the journal.
import type { JournalExportFilter, NodeApi } from '../api/node-api.js'
import type { ConversationView, MessagesQuery, MessageView, SearchResults } from '../api/schema.js'
import { CausetteError } from '../errors.js'
import type { JournalEntry } from '../journal/entry.js'
import { amendmentBody, showsAsItsBody } from '../messaging/amendments.js'
import type { Messenger } from '../messaging/messenger.js'
import { sendClaim } from '../messaging/send-once.js'
import type { FileService } from '../files/file-service.js'
import { heldMessage } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import type { WiredChannels } from './channels-wiring.js'
import type { NodeStores } from './node-stores.js'
import { searchResults } from './search-views.js'
import { conversationView, messageView, type ViewContext } from './views.js'

export interface ConversationsApiComponents {
  peerId: string
  stores: NodeStores
  messenger: Messenger<JournalEntry>
  shownView: (message: MessageRecord) => Promise<MessageView>
  channels: Pick<WiredChannels['api'], 'channels'>
  views: ViewContext
  /** Staged files, named by a send request. */
  files: Pick<FileService, 'sendWith' | 'stagedContent' | 'dropRestaged'>
}

export type ConversationsApi = Pick<NodeApi, 'conversations' | 'messages' | 'search' | 'send' | 'amendMessage' | 'markRead' | 'exportJournal'>

export function conversationsApi (components: ConversationsApiComponents): ConversationsApi {
  const { peerId, stores, messenger, shownView, views } = components
  const { db, contacts } = stores

  const held = async (id: string): Promise<MessageRecord | undefined> => await heldMessage(db, id)

  return {
    async conversations (): Promise<ConversationView[]> {
      return await Promise.all(messenger.listConversations().map(async c => {
        const last = c.lastMessageId === null ? undefined : await held(c.lastMessageId)
        // The preview shows the last message as it is now (edited, or deleted: no text).
        return conversationView(views, c, last, last === undefined ? undefined : await shownView(last))
      }))
    },

    async messages (query: MessagesQuery): Promise<MessageView[]> {
      const conversation = query.with !== undefined ? messenger.conversationWith(contacts.resolve(query.with)) : query.conversation
      const found = await messenger.messages({
        limit: query.limit,
        ...(conversation !== undefined ? { conversation } : {}),
        ...(query.q !== undefined ? { q: query.q } : {}),
        ...(query.before !== undefined ? { before: query.before } : {}),
        ...(query.after !== undefined ? { after: query.after } : {}),
        ...(query.around !== undefined ? { around: query.around } : {})
      })
      const shown = await Promise.all(found.map(shownView))
      // A search finds what is shown now: not an earlier version, nor a deleted message.
      const needle = query.q?.toLowerCase()
      return needle === undefined ? shown : shown.filter(m => m.text.toLowerCase().includes(needle))
    },

    async search (query): Promise<SearchResults> {
      return await searchResults(stores.search, query, { views, channelNames: async () => new Map((await components.channels.channels()).map(channel => [channel.id, channel.name])) })
    },

    async send (to, text, options = {}): Promise<MessageView> {
      const { quote, attachments: requests, sendId, ...rest } = options
      // Checked before the staged files are taken: a retry's files went with the first send.
      const { files } = components
      const claim = sendId === undefined ? undefined : sendClaim(sendId, { to: `peer:${contacts.resolve(to).peerId}`, text, attachments: requests, quote, urgent: rest.urgent }, id => files.stagedContent(id))
      return await stores.sendOnce.run(claim, async () => {
        const sent = await files.sendWith(requests, async attachments => await messenger.send(to, { text, ...(attachments !== undefined ? { attachments } : {}), ...(quote !== undefined ? { quote } : {}) }, { ...rest, ...(claim !== undefined ? { sendClaim: claim } : {}) }))
        return showsAsItsBody(sent, peerId) ? messageView(views, sent) : await shownView(sent)
      }, async message => { await files.dropRestaged(requests); return await shownView(message) })
    },

    async amendMessage (id, request): Promise<MessageView> {
      const { target, body } = await amendmentBody(db, id, request, peerId)
      if (target.channel !== undefined) throw new CausetteError('NOT_FOUND', 'no such message in a 1:1 conversation (a channel message is changed through its channel)')
      if (body !== undefined) await messenger.send(target.peer, body)
      return await shownView(target)
    },

    async markRead (conversation: string): Promise<void> {
      await messenger.markRead(conversation)
    },

    exportJournal (filter: JournalExportFilter): AsyncIterable<string> {
      const peer = filter.with !== undefined ? contacts.resolve(filter.with).peerId : undefined
      return stores.journal.export({ ...filter, ...(peer !== undefined ? { with: peer } : {}) }, held)
    }
  }
}
