// The composer's hint before writing to a channel where some members are in focus (who, and until
// when; the composer says what that does to the message), and the urgent option is offered as in a 1:1 chat.
import type { PeerView } from '../../../core/api/schema.js'
import { untilText } from '../lib/until.js'
import { statusIn } from '../state/presence.svelte.js'

/**
 * `others`: the channel's other members as this node knows them (undefined: never discovered);
 * `conversation`: the channel's, for a member's exception ("available for #project-x").
 */
export function channelFocusHint (others: Array<PeerView | undefined>, conversation: string, now: number): string | undefined {
  const focused = others.filter((p): p is PeerView => p?.connected === true && statusIn(p.presence, conversation) === 'focus')
  if (focused.length === 0) return undefined
  if (focused.length === 1) {
    const [person] = focused as [PeerView]
    const until = person.presence.until
    return `${person.name} is in focus${until === null ? '' : untilText(until, now)}`
  }
  const names = focused.map(p => p.name)
  const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`
  return `${list} are in focus`
}
