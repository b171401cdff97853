// Channels and their messages as the API shows them (core/api/schema.ts).
import { channelConversationId } from '../../crypto/channel-log.js'
import { equals, toBase64Url } from '../../crypto/encoding.js'
import type { AttachmentView, ChannelDelivery, ChannelMessageView, ChannelView } from '../api/schema.js'
import type { MessageRecord } from '../store/records.js'
import { ownShown, type Shown } from '../messaging/amendments.js'
import { peerIdOf } from './context.js'
import { authorTagField, nameTagField } from '../names.js'
import type { HeldChannel } from './store.js'

export type NameOf = (peerId: string) => string
/** The tag beside a name another known person goes by too, else undefined (core/node/shared-names.ts). */
export type TagOf = (peerId: string) => string | undefined
/** The attachments of a message as shown now (core/files, through the node); undefined when it carries none. */
export type AttachmentsOf = (message: MessageRecord) => AttachmentView[] | undefined

export function channelView (held: HeldChannel, me: Uint8Array, nameOf: NameOf, tagOf: TagOf): ChannelView {
  const state = held.log.state()
  const { record } = held
  return {
    id: state.channelId,
    conversation: channelConversationId(state.channelId),
    name: state.name,
    topic: state.topic,
    archived: state.archived,
    open: state.open,
    member: state.members.some(m => equals(m.device, me)),
    owner: state.owner === null ? null : peerIdOf(state.owner),
    members: state.members.map(m => {
      const peerId = peerIdOf(m.device)
      return { peerId, name: nameOf(peerId), ...nameTagField(tagOf(peerId)), owner: state.owner !== null && equals(state.owner, m.device), invitedBy: peerIdOf(m.invitedBy) }
    }),
    changes: state.changes.map(change => {
      const peerId = peerIdOf(change.device)
      const by = peerIdOf(change.by)
      return { id: toBase64Url(change.at), kind: change.kind, peerId, name: nameOf(peerId), by, byName: nameOf(by), time: change.time }
    }),
    unread: record.unread,
    lastTime: record.lastTime,
    ...(record.mutedUntil !== undefined ? { mutedUntil: record.mutedUntil } : {})
  }
}

/** `shown`: its text, thread and what later messages did to it (core/messaging/amendments.ts); by default its own body only. */
export function channelMessageView (m: MessageRecord, names: { nameOf: NameOf, tagOf: TagOf }, shown: Shown = ownShown(m), attachmentsOf?: AttachmentsOf): ChannelMessageView {
  const { nameOf } = names
  const attachments = shown.deleted === true ? undefined : attachmentsOf?.(m)
  return {
    id: m.id,
    channel: m.channel ?? '',
    author: m.author,
    authorName: nameOf(m.author),
    ...authorTagField(names.tagOf(m.author)),
    direction: m.direction,
    time: m.time,
    ...(m.arrived !== undefined ? { arrived: m.arrived } : {}),
    seq: m.seq,
    ...(m.urgent !== undefined ? { urgent: m.urgent } : {}),
    ...(m.direction === 'out' && m.members !== undefined ? { delivery: channelDelivery(m.members, nameOf) } : {}),
    ...shown,
    ...(attachments !== undefined ? { attachments } : {})
  }
}

/** Where each member stands with one of our messages, and the counts a list shows ("delivered 3/5 · read 2"). */
export function channelDelivery (members: NonNullable<MessageRecord['members']>, nameOf: NameOf): ChannelDelivery {
  const states = Object.entries(members)
    .map(([peerId, d]) => ({ peerId, name: nameOf(peerId), ...d }))
    .sort((a, b) => a.name.localeCompare(b.name))
  const has = states.filter(s => s.state === 'delivered' || s.state === 'read')
  return {
    members: states.length,
    delivered: has.length,
    read: states.filter(s => s.state === 'read').length,
    silent: has.filter(s => s.silentUntil !== undefined).length,
    failed: states.filter(s => s.state === 'failed').length,
    states
  }
}
