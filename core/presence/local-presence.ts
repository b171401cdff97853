// This user's own presence: what they chose (status, text, until, per-conversation exceptions),
// what is in force now (a choice whose until passed is available again; available turns away after
// idle time), and which conversations are muted. Pure state over an injected clock: the service
// decides when to look again (`nextChange`).
import type { PresenceStatus } from './limits.js'
import type { PresenceException } from './signed-presence.js'

export interface PresenceChoice {
  status: PresenceStatus
  text: string
  /** Unix ms when the choice ends (back to available); null for no end. */
  until: number | null
  exceptions: PresenceException[]
}

export interface Mute { conversation: string, until: number | null }

export interface EffectivePresence extends PresenceChoice {
  /** Away because of idle time, not by choice. */
  auto: boolean
}

export const AVAILABLE: PresenceChoice = { status: 'available', text: '', until: null, exceptions: [] }

export interface LocalPresenceInit {
  now: () => number
  idleMs: number
  choice?: PresenceChoice
  mutes?: Mute[]
}

export class LocalPresence {
  #choice: PresenceChoice
  readonly #mutes = new Map<string, number | null>()
  #lastActivity: number

  constructor (private readonly init: LocalPresenceInit) {
    this.#choice = init.choice ?? AVAILABLE
    for (const mute of init.mutes ?? []) this.#mutes.set(mute.conversation, mute.until)
    this.#lastActivity = init.now()
  }

  get choice (): PresenceChoice { return this.#choice }

  /** What is in force now. */
  effective (): EffectivePresence {
    const now = this.init.now()
    const choice = this.#inForce(now) ? this.#choice : AVAILABLE
    if (choice.status === 'available' && now - this.#lastActivity >= this.init.idleMs) return { ...choice, status: 'away', auto: true }
    return { ...choice, auto: false }
  }

  /** The status for one conversation: its exception if the choice has one, else the general one. */
  statusFor (conversation: string): PresenceStatus {
    const effective = this.effective()
    return effective.exceptions.find(e => e.conversation === conversation)?.status ?? effective.status
  }

  /** Are this conversation's notifications held (focus for it, or muted)? */
  holds (conversation: string): boolean {
    return this.statusFor(conversation) === 'focus' || this.isMuted(conversation)
  }

  isMuted (conversation: string): boolean {
    if (!this.#mutes.has(conversation)) return false
    const until = this.#mutes.get(conversation)!
    return until === null || until > this.init.now()
  }

  mutes (): Mute[] {
    return [...this.#mutes].map(([conversation, until]) => ({ conversation, until })).filter(m => this.isMuted(m.conversation))
  }

  /** The user's choice; choosing counts as activity. */
  set (choice: PresenceChoice): void {
    this.#choice = choice
    this.#lastActivity = this.init.now()
  }

  /** Forgets a choice whose until passed and mutes that ended; true if anything was forgotten. */
  expire (): boolean {
    const now = this.init.now()
    let expired = false
    if (!this.#inForce(now)) {
      this.#choice = AVAILABLE
      expired = true
    }
    for (const mute of [...this.#mutes.keys()]) {
      if (!this.isMuted(mute)) {
        this.#mutes.delete(mute)
        expired = true
      }
    }
    return expired
  }

  mute (conversation: string, until: number | null): void {
    this.#mutes.set(conversation, until)
  }

  unmute (conversation: string): void {
    this.#mutes.delete(conversation)
  }

  /** The user did something (the UI reported input, or they sent a message). */
  activity (): void {
    this.#lastActivity = this.init.now()
  }

  /** The next instant at which what is in force may change by itself, if any. */
  nextChange (): number | undefined {
    const now = this.init.now()
    const candidates = [
      this.#inForce(now) ? this.#choice.until : null,
      this.effective().status === 'available' ? this.#lastActivity + this.init.idleMs : null,
      ...[...this.#mutes.values()]
    ].filter((t): t is number => t !== null && t > now)
    return candidates.length === 0 ? undefined : Math.min(...candidates)
  }

  #inForce (now: number): boolean {
    return this.#choice.until === null || this.#choice.until > now
  }
}
