// How a person is reachable, in words: "Connected", "Last seen 5 min ago", "Not seen yet".
import type { PeerView } from '../../../core/api/schema.js'
import { ago } from '../lib/time.js'

export function connectionText (person: PeerView, now: number): string {
  if (person.connected) return 'Connected'
  return person.lastSeen === null ? 'Not seen yet' : `Last seen ${ago(person.lastSeen, now)}`
}
