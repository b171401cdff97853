// The one request under way to the inviting computer (asking what an invite is for, or joining),
// which Cancel aborts: the app's request ends, and with it the node's trying (core/workspace/join.ts).
export class CancellableRequest<What extends string> {
  #under = $state<{ what: What, controller: AbortController }>()
  #cancelled = $state(false)

  /** What is under way, or undefined. */
  get what (): What | undefined { return this.#under?.what }
  /** The person cancelled the last request: it failed in nothing. */
  get cancelled (): boolean { return this.#cancelled }

  /** Runs `request` as the one under way; resolves undefined when it was cancelled. */
  async run<T> (what: What, request: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const controller = new AbortController()
    this.#under = { what, controller }
    this.#cancelled = false
    try {
      return await request(controller.signal)
    } catch (failure) {
      if (controller.signal.aborted) return undefined
      throw failure
    } finally {
      if (this.#under?.controller === controller) this.#under = undefined
    }
  }

  cancel (): void {
    this.#cancelled = true
    this.#under?.controller.abort()
  }
}
