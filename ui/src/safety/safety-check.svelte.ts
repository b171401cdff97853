// The safety number screen's state: the number with one person, and marking them verified (which
// also accepts their new key when it changed).
import type { SafetyNumberView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'

export class SafetyCheck {
  readonly peerId: string
  readonly #api: ApiClient
  #view = $state<SafetyNumberView>()
  #error = $state<string>()
  #trusting = $state(false)
  /** What the last trust did, for the status line. */
  #outcome = $state<'verified' | 'accepted'>()

  constructor (api: ApiClient, peerId: string) {
    this.#api = api
    this.peerId = peerId
  }

  get view (): SafetyNumberView | undefined { return this.#view }
  get error (): string | undefined { return this.#error }
  get trusting (): boolean { return this.#trusting }
  get outcome (): 'verified' | 'accepted' | undefined { return this.#outcome }

  /** The 12 groups of five digits. */
  get groups (): string[] { return this.#view?.digits.split(' ') ?? [] }

  async load (): Promise<void> {
    try {
      this.#view = await this.#api.safetyNumber(this.peerId)
      this.#error = undefined
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error)
    }
  }

  async trust (): Promise<void> {
    if (this.#trusting) return
    this.#trusting = true
    this.#error = undefined
    try {
      const { acceptedKeyChange } = await this.#api.trust(this.peerId)
      this.#outcome = acceptedKeyChange ? 'accepted' : 'verified'
      await this.load()
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error)
    } finally {
      this.#trusting = false
    }
  }
}
