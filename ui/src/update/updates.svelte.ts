// The updates panel's state: the node's update status (loaded once, then kept by its 'update'
// events), and the admin's actions: hand over a release file, pause or resume the workspace.
import type { UpdateStatus } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'

export class Updates {
  readonly #api: ApiClient
  #status = $state<UpdateStatus>()

  constructor (api: ApiClient) {
    this.#api = api
  }

  get status (): UpdateStatus | undefined { return this.#status }

  /** "7 of 9 desks on 0.3.0" */
  get summary (): string {
    const s = this.#status
    return s === undefined ? '' : `${s.onNewest} of ${s.desks.length} desks on ${s.newest}`
  }

  set (status: UpdateStatus): void { this.#status = status }

  async load (): Promise<void> { this.#status = await this.#api.updateStatus() }
  /** The answer says the release is held; what the node did next (handing it over) may have come as an event meanwhile, so ask again. */
  async apply (file: File): Promise<void> {
    this.#status = await this.#api.applyUpdate(file)
    await this.load()
  }
  async setPaused (paused: boolean): Promise<void> { this.#status = await this.#api.pauseUpdates(paused) }
}
