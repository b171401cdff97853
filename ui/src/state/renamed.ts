// A colleague renamed themselves (a `peer` event with another name): what the app holds that names
// them by their old name takes the new one, as the node would give it on a reload. Each function
// gives the same object back when nothing names them, so a list that did not change stays as it is.
import type { ChannelView } from '../../../core/api/schema.js'

interface Authored { author: string, authorName: string }

export function withAuthorName<T extends Authored> (message: T, peerId: string, name: string): T {
  return message.author === peerId && message.authorName !== name ? { ...message, authorName: name } : message
}

export function channelWithName (view: ChannelView, peerId: string, name: string): ChannelView {
  const names = (candidate: string, shown: string): boolean => candidate === peerId && shown !== name
  if (!view.members.some(m => names(m.peerId, m.name)) && !view.changes.some(c => names(c.peerId, c.name) || names(c.by, c.byName))) return view
  return {
    ...view,
    members: view.members.map(m => m.peerId === peerId ? { ...m, name } : m),
    changes: view.changes.map(c => ({ ...c, ...c.peerId === peerId ? { name } : {}, ...c.by === peerId ? { byName: name } : {} }))
  }
}
