// What the jump-to box (Ctrl+K) offers, and in which order: the people this desk knows with their
// 1:1 conversations (one row per person: both open the same conversation), the channels we are in
// and the open ones we could join. Typed words match the start of a name's words, accents and
// capitals aside ("chlo" and "roux" find Chloé Roux); with nothing typed, recent ones come first.
import type { ChannelView, ConversationView, PeerView } from '../../../core/api/schema.js'
import { folded } from '../lib/folded.js'
import { lastArrival } from '../state/conversation-order.js'
import { routeHref, type Route } from '../state/routes.js'

export type JumpKind = 'person' | 'conversation' | 'channel' | 'open-channel'

export interface JumpTarget {
  /** The address it opens: unique among the targets. */
  key: string
  route: Route
  name: string
  /** A person without a conversation yet, one with, a channel we are in, an open one we are not in. */
  kind: JumpKind
  /** The person, when this desk has discovered them (their status dot and presence). */
  person?: PeerView
  archived: boolean
  unread: number
  /** The last message's arrival at the node (Unix ms), 0 for none. */
  lastTime: number
}

export interface JumpSources {
  people: readonly PeerView[]
  conversations: readonly ConversationView[]
  channels: readonly ChannelView[]
}

/** How many rows the box shows: typing narrows the rest down. */
export const MAX_SHOWN = 50

/** Every place the box can open, unordered. */
export function jumpTargets ({ people, conversations, channels }: JumpSources): JumpTarget[] {
  const byPeer = new Map(conversations.map(conversation => [conversation.peer, conversation]))
  const discovered = new Set(people.map(person => person.peerId))
  return [
    ...people.map(person => personTarget(person.peerId, person.name, person, byPeer.get(person.peerId))),
    // A conversation with someone this desk has not discovered (yet) is still a place to go.
    ...conversations.filter(conversation => !discovered.has(conversation.peer))
      .map(conversation => personTarget(conversation.peer, conversation.name, undefined, conversation)),
    // A channel we left by invitation only cannot be joined again from here: only ours and open ones.
    ...channels.filter(channel => channel.member || (channel.open && !channel.archived)).map(channelTarget)
  ]
}

/**
 * The targets that match `query`, best first, at most MAX_SHOWN: a name that is the query, then
 * one that starts with it, one that has its words ("roux": Chloé Roux before Anne Rouxel), one whose
 * words start with its words, then one that holds it;
 * among equals, ours before open channels to join, the latest activity, people online, by name.
 * Nothing typed: all of them, recent ones first and the one on screen (`current`, a key) last.
 */
export function rankTargets (targets: readonly JumpTarget[], query: string, current?: string): JumpTarget[] {
  const wanted = words(query)
  if (wanted.length === 0) {
    const onScreen = (target: JumpTarget): number => Number(target.key === current)
    return [...targets].sort((a, b) => onScreen(a) - onScreen(b) || byStanding(a, b)).slice(0, MAX_SHOWN)
  }
  return targets
    .map(target => ({ target, rank: matchRank(words(target.name), wanted) }))
    .filter((hit): hit is { target: JumpTarget, rank: number } => hit.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || byStanding(a.target, b.target))
    .slice(0, MAX_SHOWN)
    .map(hit => hit.target)
}

function personTarget (peerId: string, name: string, person: PeerView | undefined, conversation: ConversationView | undefined): JumpTarget {
  const route: Route = { page: 'chat', peerId }
  return {
    key: routeHref(route),
    route,
    name,
    kind: conversation === undefined ? 'person' : 'conversation',
    ...(person !== undefined ? { person } : {}),
    archived: false,
    unread: conversation?.unread ?? 0,
    lastTime: conversation === undefined ? 0 : lastArrival(conversation)
  }
}

function channelTarget (channel: ChannelView): JumpTarget {
  const route: Route = { page: 'channel', id: channel.id }
  return {
    key: routeHref(route),
    route,
    name: channel.name,
    kind: channel.member ? 'channel' : 'open-channel',
    archived: channel.archived,
    unread: channel.member && channel.mutedUntil === undefined ? channel.unread : 0,
    lastTime: channel.lastTime
  }
}

/** A name's or a query's words, folded: "Équipe-Déco" is ["equipe", "deco"], "#lun" is ["lun"]. */
function words (text: string): string[] {
  return folded(text).split(/[^\p{L}\p{N}]+/u).filter(word => word !== '')
}

function matchRank (name: string[], wanted: string[]): number | undefined {
  const [whole, query] = [name.join(' '), wanted.join(' ')]
  if (whole === query) return 0
  if (whole.startsWith(query)) return 1
  if (wanted.every(word => name.includes(word))) return 2
  if (wanted.every(word => name.some(part => part.startsWith(word)))) return 3
  if (whole.includes(query)) return 4
  return undefined
}

function byStanding (a: JumpTarget, b: JumpTarget): number {
  const toJoin = (target: JumpTarget): number => Number(target.kind === 'open-channel')
  const online = (target: JumpTarget): number => Number(target.person?.connected === true)
  return toJoin(a) - toJoin(b) || b.lastTime - a.lastTime || online(b) - online(a) || a.name.localeCompare(b.name)
}
