// The digest half of `causette status`: the line that says what waits in undismissed digests
// (what arrived while notifications were held), and `status dismiss` that clears them.
import type { DigestView } from '../../api/schema.js'
import type { ApiClient } from '../client.js'

/** "3 messages from alice (2), bob (1), since 14:05" or undefined when no digest waits. */
export function describeDigests (digests: DigestView[], clock: (time: number) => string): string | undefined {
  if (digests.length === 0) return undefined
  const byName = new Map<string, number>()
  for (const line of digests.flatMap(d => d.from)) byName.set(line.name, (byName.get(line.name) ?? 0) + line.count)
  const total = [...byName.values()].reduce((sum, n) => sum + n, 0)
  const since = Math.min(...digests.map(d => d.since))
  return `${total} message${total === 1 ? '' : 's'} from ${[...byName].map(([name, n]) => `${name} (${n})`).join(', ')}, since ${clock(since)}`
}

/** Dismisses every digest the daemon keeps; resolves to how many. */
export async function dismissDigests (client: ApiClient): Promise<number> {
  const digests = await client.json<DigestView[]>('GET', '/api/v1/presence/digests')
  for (const digest of digests) await client.json('POST', `/api/v1/presence/digests/${encodeURIComponent(digest.id)}/dismiss`, {})
  return digests.length
}
