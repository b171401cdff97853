// The daemon's event stream (GET /api/v1/events over a WebSocket). Reconnects by itself with
// exponential backoff and jitter, and resumes after the last event id it saw. Ids belong to one
// daemon run (the epoch): a frame from a new epoch means the daemon restarted, and the listener is
// told to refetch everything.
import type { EventFrame, NodeEvent } from '../../../core/api/schema.js'
import { EVENTS_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../../../core/api/paths.js'
import { API_BASE } from './client.js'
import type { NodeProof } from './node-proof.svelte.js'
import { nodeLink } from './node-link.svelte.js'

export type ConnectionState = 'connecting' | 'open' | 'closed'

export interface EventSocketInit {
  token: string
  /** The server must prove it is the user's node before each connection carries the token. */
  proof: NodeProof
  onEvent: (event: NodeEvent) => void
  /** The daemon restarted (new epoch): local state may be stale. */
  onEpochChange: () => void
  /** The socket is open; `again` after a loss (the daemon may have restarted: a good time to refetch). */
  onOpen: (again: boolean) => void
  /** The node proved itself but refused the stream (a node restarted locked, waiting for its passphrase): worth asking its status. */
  onRefused?: () => void
  backoffMinMs?: number
  backoffMaxMs?: number
}

export class EventSocket {
  #state = $state<ConnectionState>('connecting')
  #init: Required<EventSocketInit>
  #socket: WebSocket | undefined
  #lastId: number | undefined
  #epoch: string | undefined
  #attempt = 0
  #everOpen = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  constructor (init: EventSocketInit) {
    this.#init = { backoffMinMs: 250, backoffMaxMs: 10_000, onRefused: () => {}, ...init }
  }

  get state (): ConnectionState { return this.#state }
  get lastId (): number | undefined { return this.#lastId }

  start (): void {
    this.#stopped = false
    this.#connect()
  }

  stop (): void {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#socket?.close()
  }

  #connect (): void {
    this.#state = 'connecting'
    this.#init.proof.proven().then(
      () => { if (!this.#stopped) this.#open() },
      () => {
        if (this.#stopped) return
        this.#state = 'closed'
        this.#scheduleReconnect()
      }
    )
  }

  #open (): void {
    const socket = new WebSocket(this.#url(), [EVENTS_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + this.#init.token])
    this.#socket = socket
    let opened = false
    socket.onopen = () => {
      opened = true
      this.#attempt = 0
      this.#state = 'open'
      nodeLink.lost = false
      this.#init.onOpen(this.#everOpen)
      this.#everOpen = true
    }
    socket.onmessage = (message) => { this.#receive(message.data) }
    socket.onclose = () => {
      if (this.#socket !== socket) return
      // The daemon stopped, or went away: whoever takes the port next must prove itself.
      this.#init.proof.forget()
      this.#state = 'closed'
      if (this.#everOpen) nodeLink.lost = true
      if (!opened && !this.#stopped) this.#init.onRefused()
      if (!this.#stopped) this.#scheduleReconnect()
    }
  }

  #url (): string {
    const url = new URL(API_BASE + '/events', location.href)
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
    if (this.#lastId !== undefined) url.searchParams.set('since', String(this.#lastId))
    if (this.#epoch !== undefined) url.searchParams.set('epoch', this.#epoch)
    return url.href
  }

  #receive (data: unknown): void {
    if (typeof data !== 'string') return
    let frame: EventFrame
    try { frame = JSON.parse(data) as EventFrame } catch { return }
    if (typeof frame?.id !== 'number' || typeof frame.epoch !== 'string' || frame.event === undefined) return
    if (frame.epoch !== this.#epoch) {
      const restarted = this.#epoch !== undefined
      this.#epoch = frame.epoch
      this.#lastId = undefined
      if (restarted) this.#init.onEpochChange()
    }
    if (this.#lastId !== undefined && frame.id <= this.#lastId) return
    this.#lastId = frame.id
    this.#init.onEvent(frame.event)
  }

  #scheduleReconnect (): void {
    const { backoffMinMs, backoffMaxMs } = this.#init
    const ceiling = Math.min(backoffMaxMs, backoffMinMs * 2 ** this.#attempt)
    this.#attempt++
    const delay = ceiling / 2 + Math.random() * ceiling / 2
    this.#timer = setTimeout(() => { this.#connect() }, delay)
  }
}
