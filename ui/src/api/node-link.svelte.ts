// Whether the app can reach its node, as state every view can read: while the node does not answer,
// what the app last heard of colleagues ("Connected") is no longer known and must not be shown as true.
class NodeLink {
  #lost = $state(false)

  /** The event stream was open once and is not now: the node stopped, or this page cannot reach it. */
  get lost (): boolean { return this.#lost }
  set lost (value: boolean) { this.#lost = value }
}

export const nodeLink = new NodeLink()

/** What a failed request means when nobody answers on the node's port. */
export const NODE_NOT_RUNNING = 'your causette node is not running. Start causette again, then retry'
