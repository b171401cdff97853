// The API token arrives once in the URL the daemon prints (`#token=...`). It is kept in this
// origin's localStorage (one daemon = one origin) and removed from the address bar at once, so it
// does not linger in history, bookmarks or screenshots.
const STORAGE_KEY = 'causette.token'
const HASH_PATTERN = /(?:^#|&)token=([^&]+)/

export function takeToken (): string | undefined {
  const match = HASH_PATTERN.exec(location.hash)
  if (match !== null) {
    localStorage.setItem(STORAGE_KEY, decodeURIComponent(match[1]))
    history.replaceState(history.state, '', location.pathname + location.search)
  }
  return localStorage.getItem(STORAGE_KEY) ?? undefined
}

export function forgetToken (): void {
  localStorage.removeItem(STORAGE_KEY)
}
