// Stored records as the API shows them.
import type { ConversationView, MessageView, PeerView } from '../api/schema.js'
import type { ContactRecord, ConversationRecord, MessageRecord } from '../store/records.js'

export interface ViewContext {
  selfPeerId: string
  selfName: () => string
  contact: (peerId: string) => ContactRecord | undefined
  connected: (peerId: string) => boolean
}

export function nameOf (ctx: ViewContext, peerId: string): string {
  if (peerId === ctx.selfPeerId) return ctx.selfName()
  return ctx.contact(peerId)?.name ?? peerId.slice(-8)
}

export function messageView (ctx: ViewContext, m: MessageRecord): MessageView {
  return {
    id: m.id,
    conversation: m.conversation,
    direction: m.direction,
    author: m.author,
    authorName: nameOf(ctx, m.author),
    peer: m.peer,
    text: m.text,
    time: m.time,
    state: m.state,
    stateTime: m.stateTime,
    ...(m.stateReason !== undefined ? { stateReason: m.stateReason } : {}),
    verified: m.verified
  }
}

export function peerView (ctx: ViewContext, c: ContactRecord): PeerView {
  return {
    peerId: c.peerId,
    name: c.name,
    color: c.color,
    deviceKey: c.deviceKey,
    addresses: c.addresses,
    connected: ctx.connected(c.peerId),
    lastSeen: c.lastSeen,
    keyChanged: c.keyChanged !== undefined,
    verified: c.verifiedAt !== undefined && c.keyChanged === undefined
  }
}

export function conversationView (ctx: ViewContext, c: ConversationRecord, last: MessageRecord | undefined): ConversationView {
  return {
    id: c.id,
    peer: c.peer,
    name: nameOf(ctx, c.peer),
    lastMessage: last === undefined ? null : messageView(ctx, last),
    unread: c.unread
  }
}
