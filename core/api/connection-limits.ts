// Bounds on the local API's sockets (issue 12): 21,000 idle sockets to the API once used up the
// daemon's file handles, and peer connections failed with them. The API now holds a bounded number
// of sockets (event streams included), closes idle ones, and refuses event streams beyond their own
// bound, so the browser and the CLI can never starve the libp2p side of the same process.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { API_PREFIX, FILES_PATH } from './paths.js'

export interface ApiLimits {
  /** Open sockets to the API, event streams included; beyond, a new one is closed at once. */
  maxConnections: number
  /** Event streams (WebSockets) open at once; beyond, the handshake is refused with 503. */
  maxEventSockets: number
  /**
   * A socket that sends and receives nothing this long (before or between requests) is closed; but
   * while joining waits for the inviting computer (WAITING_PATHS), which answers when it does.
   */
  idleTimeoutMs: number
  /** The request headers must arrive within this. */
  headersTimeoutMs: number
  /**
   * The whole request (headers and body) must arrive within this, but for a file's upload: its bytes
   * may take minutes (5 GiB sealed into the store), and only the idle timeout bounds it.
   */
  requestTimeoutMs: number
}

/** A browser uses ~6 sockets and one event stream per tab, the CLI one socket per command. */
export const DEFAULT_API_LIMITS: ApiLimits = {
  maxConnections: 128,
  maxEventSockets: 16,
  idleTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000
}

/** One refusal logged at once, then at most one line per interval with the count, not one per socket. */
const REFUSAL_LOG_INTERVAL_MS = 10_000

export type ApiLog = (line: string) => void

export function boundConnections (server: Server, limits: ApiLimits, log: ApiLog): void {
  server.maxConnections = limits.maxConnections
  server.timeout = limits.idleTimeoutMs
  server.keepAliveTimeout = Math.min(server.keepAliveTimeout, limits.idleTimeoutMs)
  server.headersTimeout = limits.headersTimeoutMs
  // Node's own bound takes every request alike, and cut uploads 30 to 60 s in: ours, per request.
  server.requestTimeout = 0
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    // Both exceptions are POSTs: any other request is bounded without reading its path.
    const postedTo = request.method === 'POST' ? pathOf(request) : undefined
    if (postedTo !== undefined && WAITING_PATHS.has(postedTo)) holdOpenUntilAnswered(request, response, limits.idleTimeoutMs)
    if (postedTo !== FILE_UPLOAD_PATH) boundRequest(request, response, limits.requestTimeoutMs)
  })
  const refusals = refusalLog(log, `more than ${limits.maxConnections} sockets are open to the local API: new ones are closed`)
  server.on('drop', refusals)
}

/** Closes the socket of a request still not whole `timeoutMs` after its headers (a file's upload is not bounded: see the listener). */
function boundRequest (request: IncomingMessage, response: ServerResponse, timeoutMs: number): void {
  if (request.complete) return
  const timer = setTimeout(() => { if (!request.complete) request.socket.destroy() }, timeoutMs).unref()
  response.once('close', () => { clearTimeout(timer) })
}

const FILE_UPLOAD_PATH = `${API_PREFIX}${FILES_PATH}`

/**
 * Joining with an invite code, and asking what one is for, wait for the inviting computer: up to
 * two minutes when it is busy admitting a whole office (JOIN_PATIENCE_MS, core/workspace/join.ts),
 * with nothing sent meanwhile. The idle timeout cut them at 30 s, and the app and the CLI said the
 * node had gone ("fetch failed"). The node bounds the wait itself, and stops when the client goes.
 */
const WAITING_PATHS = new Set([`${API_PREFIX}/workspace/join`, `${API_PREFIX}/workspace/join/preview`])

function holdOpenUntilAnswered (request: IncomingMessage, response: ServerResponse, idleTimeoutMs: number): void {
  request.socket.setTimeout(0)
  response.once('close', () => { if (!request.socket.destroyed) request.socket.setTimeout(idleTimeoutMs) })
}

/**
 * The request's path as the router sees it. A path of plain segments (letters, digits, `-`, `_`, `~`:
 * no dot, percent sign or backslash) is its own normal form, read without a URL parse, which cost
 * two of them every POST /messages; any other is resolved by URL as before.
 */
function pathOf ({ url }: IncomingMessage): string | undefined {
  if (url === undefined) return undefined
  const queryAt = url.indexOf('?')
  const path = queryAt === -1 ? url : url.slice(0, queryAt)
  return PLAIN_PATH.test(path) ? path : new URL(url, 'http://api').pathname
}

const PLAIN_PATH = /^(?:\/[\w~-]+)+$/

/** ws's verifyClient: refuses an event stream beyond the bound, after the guard has let it through. */
export function eventSocketGate (limits: ApiLimits, openSockets: () => number, log: ApiLog): (info: unknown, done: (accept: boolean, code?: number, message?: string) => void) => void {
  const refusals = refusalLog(log, `more than ${limits.maxEventSockets} event streams are open to the local API: new ones are refused`)
  return (_info, done) => {
    if (openSockets() < limits.maxEventSockets) {
      done(true)
      return
    }
    refusals()
    done(false, 503, 'Too many event streams')
  }
}

function refusalLog (log: ApiLog, what: string): () => void {
  let lastLogged = -Infinity
  let unlogged = 0
  return () => {
    unlogged++
    const now = Date.now()
    if (now - lastLogged < REFUSAL_LOG_INTERVAL_MS) return
    log(`causette api: ${what} (${unlogged} refused)`)
    lastLogged = now
    unlogged = 0
  }
}
