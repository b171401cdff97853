// `causette update status` in words: "7 of 9 desks on 0.3.0", the pending release, each desk.
import type { UpdateStatus } from '../api/schema.js'

export function formatUpdateStatus (status: UpdateStatus): string {
  const lines = [`${status.onNewest} of ${status.desks.length} desks on ${status.newest}`]
  lines.push(`this desk: ${status.running} (${status.target})`)
  if (status.paused !== null) lines.push(`updates paused by ${status.paused.name} since ${new Date(status.paused.at).toISOString()}`)
  if (status.release !== null) lines.push(`release ${status.release.version}: ${status.release.targets.join(', ')} (held whole here: ${status.release.held.join(', ') || 'none'})`)
  const d = status.download
  if (d !== null) {
    const percent = d.size === 0 ? 100 : Math.floor(100 * d.bytes / d.size)
    lines.push(`this desk's file (${d.target}): ${d.state}, ${percent}%${d.source !== undefined ? ` from ${d.source}` : ''}${d.error !== undefined ? ` — ${d.error}` : ''}`)
  }
  lines.push(`installer: ${status.installer}`)
  for (const desk of status.desks) lines.push(`  ${desk.name}${desk.self ? ' (this desk)' : ''}: ${desk.version ?? 'not heard from'}`)
  return lines.join('\n')
}
