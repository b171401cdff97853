// Admitting a desk over the network, as the app follows it: the desks that want to join (to an
// admin) and the admins that can admit this desk (while it is in no workspace). Read once when the
// app (re)connects, then kept by the node's `admission` events.
import type { AdmissionView, JoinOfferView, JoinRequestView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'

export class AdmissionState {
  readonly #api: ApiClient
  #view = $state<AdmissionView>({ requests: [], offers: [] })
  /** The workspace this desk just joined by confirming a code (to say so once). */
  #joined = $state<string>()

  constructor (api: ApiClient) {
    this.#api = api
  }

  get requests (): JoinRequestView[] { return this.#view.requests }
  get offers (): JoinOfferView[] { return this.#view.offers }
  get joined (): string | undefined { return this.#joined }

  /** Reads the lists again; true when this desk, having confirmed a code, is in the workspace now. */
  async load (): Promise<boolean> {
    return this.set(await this.#api.admission())
  }

  /** The lists as the node gives them; true when this desk, having confirmed a code, is in the workspace now. */
  set (view: AdmissionView): boolean {
    const confirmed = this.#view.offers.find(offer => offer.confirmed)
    this.#view = view
    if (confirmed === undefined || view.offers.length > 0) return false
    this.#joined = confirmed.workspace
    return true
  }

  async step (peerId: string, step: 'admit' | 'confirm' | 'decline'): Promise<void> {
    const request = await this.#api.admissionStep(peerId, step)
    this.#view = { ...this.#view, requests: this.#view.requests.map(r => r.peerId === peerId ? request : r) }
  }

  async offerStep (peerId: string, step: 'confirm' | 'decline'): Promise<void> {
    const offer = await this.#api.offerStep(peerId, step)
    this.#view = { ...this.#view, offers: this.#view.offers.map(o => o.peerId === peerId ? offer : o) }
  }

  dismissJoined (): void { this.#joined = undefined }
}

/** "123456" as "123 456": easier to read aloud. */
export const spacedCode = (code: string): string => `${code.slice(0, 3)} ${code.slice(3)}`

/** The node's notice ("cancelled: you said the codes did not match", said so by the CLI in brackets) as a sentence of its own. */
export const asSentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)
