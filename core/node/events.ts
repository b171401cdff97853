// The node's event stream (DESIGN.md §8): every event gets an increasing id; a client that
// reconnects passes the last id it saw and receives what it missed from a bounded buffer. `epoch`
// changes with every daemon run, telling clients that ids restarted and they must refetch.
import { randomBytes } from '../../crypto/random.js'
import { toBase64Url } from '../../crypto/encoding.js'
import type { EventFrame, NodeEvent } from '../api/schema.js'
import type { EventClient, EventStream } from '../api/node-api.js'

export const EVENT_BUFFER_SIZE = 1000

export class EventLog implements EventStream {
  readonly epoch = toBase64Url(randomBytes(8))
  private readonly buffer: EventFrame[] = []
  private readonly listeners = new Set<(frame: EventFrame) => void>()
  private readonly appListeners = new Set<(frame: EventFrame) => void>()
  private nextId = 1

  get lastId (): number { return this.nextId - 1 }

  /** How many app tabs (browser event streams) listen now: none, and the node notifies by itself. */
  get appsConnected (): number { return this.appListeners.size }

  emit (event: NodeEvent): void {
    const frame: EventFrame = { id: this.nextId++, epoch: this.epoch, event }
    this.buffer.push(frame)
    if (this.buffer.length > EVENT_BUFFER_SIZE) this.buffer.shift()
    for (const listener of this.listeners) listener(frame)
  }

  subscribe (since: number | undefined, listener: (frame: EventFrame) => void, client: EventClient = { app: false }): () => void {
    if (since !== undefined) for (const frame of this.buffer) if (frame.id > since) listener(frame)
    this.listeners.add(listener)
    if (client.app) this.appListeners.add(listener)
    return () => {
      this.listeners.delete(listener)
      this.appListeners.delete(listener)
    }
  }
}
