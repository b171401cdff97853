// The per-profile limit on stored files: what must go to make room for a write. Carried copies (held
// for absent colleagues) go first, oldest first; a file of the user's own ("mine") is never evicted.
// When even every carried copy would not make room, nothing is evicted and the write is refused.
import type { Owner } from './store-layout.js'

/** Five GiB unless the profile says otherwise. */
export const DEFAULT_FILE_LIMIT_BYTES = 5 * 1024 ** 3

export interface QuotaEntry {
  id: string
  owner: Owner
  addedAt: number
  bytes: number
}

/**
 * The carried entries to evict, oldest first, so that `neededBytes` more fit under `limitBytes`; none
 * when they fit already; undefined when evicting every carried entry but `keepId` would not do.
 */
export function evictionFor (entries: Iterable<QuotaEntry>, usedBytes: number, limitBytes: number, neededBytes: number, keepId: string): QuotaEntry[] | undefined {
  let excess = usedBytes + neededBytes - limitBytes
  if (excess <= 0) return []
  const carried = [...entries].filter(entry => entry.owner === 'carried' && entry.id !== keepId)
  carried.sort((a, b) => a.addedAt - b.addedAt)
  const victims: QuotaEntry[] = []
  for (const entry of carried) {
    if (excess <= 0) break
    victims.push(entry)
    excess -= entry.bytes
  }
  return excess <= 0 ? victims : undefined
}
