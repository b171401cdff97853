// How a person is reachable, in words: "Connected", "Last seen 5 min ago", "Not seen yet".
import type { PeerView } from '../../../core/api/schema.js'
import { ago } from '../lib/time.js'
import { nodeLink } from '../api/node-link.svelte.js'

export function connectionText (person: PeerView, now: number): string {
  // What the app last heard is stale once its own node is out of reach.
  if (nodeLink.lost) return 'Unknown while your node is not running'
  if (person.connected) return 'Connected'
  return person.lastSeen === null ? 'Not seen yet' : `Last seen ${ago(person.lastSeen, now)}`
}
