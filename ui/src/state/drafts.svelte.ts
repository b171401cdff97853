// One unsent draft per conversation (keyed by the other person's PeerId), kept across reloads.
const STORAGE_KEY = 'causette.drafts'

export class Drafts {
  #byPeer = $state<Record<string, string>>(load())

  get (peerId: string): string {
    return this.#byPeer[peerId] ?? ''
  }

  set (peerId: string, text: string): void {
    if (text === '') delete this.#byPeer[peerId]
    else this.#byPeer[peerId] = text
    localStorage.setItem(STORAGE_KEY, JSON.stringify(this.#byPeer))
  }
}

function load (): Record<string, string> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')
    return typeof value === 'object' && value !== null ? value as Record<string, string> : {}
  } catch {
    return {}
  }
}
