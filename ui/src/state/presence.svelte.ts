// My own status: available, focus or away, with an optional text and an "until" time.
// The node does not carry presence yet (a later issue): the choice lives in this browser only.
const STORAGE_KEY = 'causette.presence'

export const STATUSES = ['available', 'focus', 'away'] as const
export type Status = typeof STATUSES[number]

export const STATUS_LABELS: Record<Status, string> = {
  available: 'Available',
  focus: 'Focus',
  away: 'Away'
}

export interface PresenceChoice {
  status: Status
  text: string
  /** Unix ms after which the status returns to available; null for no end. */
  until: number | null
}

const DEFAULT: PresenceChoice = { status: 'available', text: '', until: null }

export class Presence {
  #choice = $state<PresenceChoice>(load())
  #now = $state(Date.now())
  #listeners = new Set<(previous: Status, next: Status) => void>()

  constructor () {
    setInterval(() => { this.#tick() }, 15_000)
  }

  get choice (): PresenceChoice { return this.#choice }

  /** The status in force now: a choice whose "until" has passed is back to available. */
  get status (): Status {
    const { status, until } = this.#choice
    return until !== null && until <= this.#now ? 'available' : status
  }

  set (choice: PresenceChoice): void {
    const previous = this.status
    this.#choice = choice
    this.#now = Date.now()
    localStorage.setItem(STORAGE_KEY, JSON.stringify(choice))
    this.#emit(previous)
  }

  onChange (listener: (previous: Status, next: Status) => void): void {
    this.#listeners.add(listener)
  }

  #tick (): void {
    const previous = this.status
    this.#now = Date.now()
    this.#emit(previous)
  }

  #emit (previous: Status): void {
    const next = this.status
    if (next !== previous) for (const listener of this.#listeners) listener(previous, next)
  }
}

function load (): PresenceChoice {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as PresenceChoice | null
    return value !== null && STATUSES.includes(value.status) ? value : DEFAULT
  } catch {
    return DEFAULT
  }
}
