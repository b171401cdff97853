// Stored records as the API shows them.
import type { AttachmentView, ConversationView, MessageView, NodeEvent, PeerPresence, PeerView, WorkspaceSummary, WorkspaceView } from '../api/schema.js'
import type { Membership } from '../workspace/membership.js'
import { toBase64 } from '../../crypto/encoding.js'
import type { ContactRecord, ConversationRecord, MessageRecord } from '../store/records.js'
import { ownShown, type Shown } from '../messaging/amendments.js'
import { authorTagField, nameTagField } from '../names.js'

/** Enough to name a peer: ourselves or a contact. */
export interface NameContext {
  selfPeerId: string
  selfName: () => string
  contact: (peerId: string) => ContactRecord | undefined
  /** The tag beside a name another known person, or the user, goes by too; undefined otherwise (core/node/shared-names.ts). */
  nameTagOf: (peerId: string) => string | undefined
}

export interface ViewContext extends NameContext {
  connected: (peerId: string) => boolean
  /** How the peer appears to us now (core/presence): offline when not connected. */
  presence: (peerId: string) => PeerPresence
  /** How far the peer's clock is from our colleagues', when far enough to show (core/presence/clock-skew.ts). */
  clockOffset: (peerId: string) => number | undefined
  /** The SHA-256 of the photo we hold of the peer, null if none (core/node/photo-wiring.ts). */
  photo?: (peerId: string) => string | null
  /** A message's attachments as shown now (core/node/files-wiring.ts); undefined when it carries none. */
  attachments?: (message: MessageRecord) => AttachmentView[] | undefined
}

export function nameOf (ctx: NameContext, peerId: string): string {
  if (peerId === ctx.selfPeerId) return ctx.selfName()
  return ctx.contact(peerId)?.name ?? peerId.slice(-8)
}


/** A member as they go by now (they may have changed their name since they were admitted), else as admitted. */
export function memberName (ctx: NameContext, member: { peerId: string, name: string }): string {
  if (member.peerId === ctx.selfPeerId) return ctx.selfName()
  return ctx.contact(member.peerId)?.name ?? member.name
}

/** `shown`: its text and what later messages did to it (core/messaging/amendments.ts); by default its own body only. */
export function messageView (ctx: ViewContext, m: MessageRecord, shown: Shown = ownShown(m)): MessageView {
  const { replyTo: _thread, ...amended } = shown
  const attachments = shown.deleted === true ? undefined : ctx.attachments?.(m)
  return {
    id: m.id,
    conversation: m.conversation,
    direction: m.direction,
    author: m.author,
    authorName: nameOf(ctx, m.author),
    ...authorTagField(ctx.nameTagOf(m.author)),
    peer: m.peer,
    time: m.time,
    ...(m.arrived !== undefined ? { arrived: m.arrived } : {}),
    seq: m.seq,
    state: m.state,
    stateTime: m.stateTime,
    stateTimes: m.stateTimes,
    ...(m.stateReason !== undefined ? { stateReason: m.stateReason } : {}),
    ...(m.urgent !== undefined ? { urgent: m.urgent } : {}),
    verified: m.verified,
    ...silentOf(m),
    ...amended,
    ...(attachments !== undefined ? { attachments } : {})
  }
}


/** The event that tells the app to drop a copier's message whose id its true author took over (core/messaging/id-owner.ts). */
export function takenOutEvent (copy: MessageRecord): Extract<NodeEvent, { type: 'message-taken-out' }> {
  const where = copy.channel !== undefined ? { channel: copy.channel } : { peer: copy.peer }
  return { type: 'message-taken-out', id: copy.id, author: copy.author, conversation: copy.conversation, ...where }
}

/** The silent mark of one of our messages, as MessageView and the message-state event show it. */
export function silentOf (m: MessageRecord): { silent?: { until: number | null } } {
  return m.silentUntil !== undefined ? { silent: { until: m.silentUntil } } : {}
}

function clockOffsetOf (ctx: ViewContext, peerId: string): { clockOffsetMs?: number } {
  const offset = ctx.clockOffset(peerId)
  return offset !== undefined ? { clockOffsetMs: Math.round(offset) } : {}
}

export function peerView (ctx: ViewContext, c: ContactRecord): PeerView {
  return {
    peerId: c.peerId,
    name: c.name,
    ...nameTagField(ctx.nameTagOf(c.peerId)),
    color: c.color,
    deviceKey: c.deviceKey,
    addresses: c.addresses,
    connected: ctx.connected(c.peerId),
    lastSeen: c.lastSeen,
    keyChanged: c.keyChanged !== undefined,
    verified: c.verifiedAt !== undefined && c.keyChanged === undefined,
    presence: ctx.presence(c.peerId),
    photo: ctx.photo?.(c.peerId) ?? null,
    ...clockOffsetOf(ctx, c.peerId)
  }
}

/** `lastShown`: the last message as shown now (core/messaging/amendments.ts), when read. */
export function conversationView (ctx: ViewContext, c: ConversationRecord, last: MessageRecord | undefined, lastShown?: MessageView): ConversationView {
  return {
    id: c.id,
    peer: c.peer,
    name: nameOf(ctx, c.peer),
    ...nameTagField(ctx.nameTagOf(c.peer)),
    lastMessage: lastShown ?? (last === undefined ? null : messageView(ctx, last)),
    unread: c.unread
  }
}

/** The API's view of a membership log: null without a workspace; admins first, then by name. */
export function workspaceView (membership: Membership, names: NameContext): WorkspaceView | null {
  const selfPeerId = names.selfPeerId
  const summary = workspaceSummary(membership, selfPeerId)
  if (summary === null) return null
  const members = membership.members()
    .map(m => ({ peerId: m.peerId, name: memberName(names, m), ...nameTagField(names.nameTagOf(m.peerId)), role: m.role, self: m.peerId === selfPeerId }))
    .sort((a, b) => Number(b.role === 'admin') - Number(a.role === 'admin') || a.name.localeCompare(b.name))
  if (summary.role !== 'admin') return { ...summary, members }
  const forks = membership.forks().map(f => ({ seq: f.seq, kept: toBase64(f.kept), dropped: toBase64(f.dropped), switched: f.switched, time: f.time }))
  return { ...summary, members, ...(forks.length > 0 ? { forks } : {}) }
}

export function workspaceSummary (membership: Membership, selfPeerId: string): WorkspaceSummary | null {
  const info = membership.workspace
  return info === undefined ? null : { id: info.id, name: info.name, role: membership.member(selfPeerId)?.role ?? 'removed' }
}
