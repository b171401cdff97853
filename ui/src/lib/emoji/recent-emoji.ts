// The emoji this browser picked last, most recent first: the picker shows them first. Kept in the
// origin's localStorage (one daemon = one origin), like the drafts.
const STORAGE_KEY = 'causette.emoji.recent'
const KEPT = 32

export function recentEmoji (): string[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]')
    return Array.isArray(stored) ? stored.filter((item): item is string => typeof item === 'string').slice(0, KEPT) : []
  } catch {
    return [] // unreadable or private mode: no recent emoji, the picker still works
  }
}

export function rememberEmoji (emoji: string): void {
  const recent = [emoji, ...recentEmoji().filter(item => item !== emoji)].slice(0, KEPT)
  try { localStorage.setItem(STORAGE_KEY, JSON.stringify(recent)) } catch { /* private mode: not remembered */ }
}
