// The local API assumes a hostile browser on the same machine (Syncthing's stance). Every request
// passes four checks, in this order:
//  1. `Host` is a loopback name with our port: a page on evil.example whose DNS was rebound to
//     127.0.0.1 still sends `Host: evil.example`, so it is refused (DNS-rebinding defence).
//  2. `Origin`, when present, is our own origin: no other site may call us from a browser, and
//     browsers always send Origin on WebSocket handshakes (cross-site WebSocket hijacking).
//  3. Under /api, the token. HTTP clients send `Authorization: Bearer <token>`. Browsers cannot set
//     headers on a WebSocket, so the handshake may carry it as a subprotocol `causette.token.<token>`
//     instead. We do not accept `?token=`: URLs end up in logs, history and Referer headers, a
//     subprotocol header does not. Two routes need no token: GET /api/v1/node-proof, where the node
//     proves to the app that it holds the token before the app sends it (node-proof.ts), and GET
//     /api/v1/downloads/{ticket}, a single-use download link the app obtained with the token
//     (download-tickets.ts): the browser's download manager cannot send a header.
//  4. State-changing methods carry JSON: an HTML form cannot send `application/json` cross-site
//     without a preflight, so this closes the CSRF path even without the token. The two exceptions,
//     a release bundle posted to /update/apply and a file's bytes posted to /files, have their own
//     non-form types (application/vnd.causette.release, application/octet-stream), which need a preflight too.
import { timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { sha256 } from '../../crypto/sha256.js'
import { errorResponse } from './errors.js'
import { API_PREFIX, NODE_PROOF_PATH, TOKEN_SUBPROTOCOL_PREFIX } from './schema.js'
import { DOWNLOADS_PATH, FILE_UPLOAD_TYPE, FILES_PATH, RELEASE_BUNDLE_TYPE, UPDATE_APPLY_PATH } from './paths.js'
import { TICKET_PATTERN } from './download-tickets.js'

export { TOKEN_SUBPROTOCOL_PREFIX }
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']

export interface GuardInit {
  token: string
  /** The port the daemon listens on; `Host` must name it. */
  port: number
}

export function requestGuard ({ token, port }: GuardInit): MiddlewareHandler {
  const allowedHosts = new Set(LOOPBACK_NAMES.map(name => `${name}:${port}`))
  const expectedDigest = digestOf(token)
  return async (c, next) => {
    const host = c.req.header('host')?.toLowerCase()
    if (host === undefined || !allowedHosts.has(host)) {
      return errorResponse(c, 'FORBIDDEN', 'the Host header must name this daemon on a loopback address (127.0.0.1, localhost or [::1])')
    }
    const origin = c.req.header('origin')
    if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
      return errorResponse(c, 'FORBIDDEN', 'requests from another origin are refused')
    }
    if (isApiPath(c.req.path) && !isNodeProof(c.req.method, c.req.path) && !isDownloadLink(c.req.method, c.req.path) && !tokensEqual(presentedToken(c.req.raw.headers), expectedDigest)) {
      return errorResponse(c, 'UNAUTHORIZED', 'a valid API token is required (Authorization: Bearer <token>; see api.json in the profile)')
    }
    if (STATE_CHANGING.has(c.req.method) && !isJson(c.req.header('content-type')) && !isRawUpload(c.req.method, c.req.path, c.req.header('content-type'))) {
      return errorResponse(c, 'UNSUPPORTED_MEDIA_TYPE', 'state-changing requests must have Content-Type: application/json')
    }
    await next()
  }
}

/** All of /api, not only API_PREFIX: a future /api/v2 is guarded from its first line. */
function isApiPath (path: string): boolean {
  return path === '/api' || path.startsWith('/api/')
}

function isNodeProof (method: string, path: string): boolean {
  return method === 'GET' && path === API_PREFIX + NODE_PROOF_PATH
}

function presentedToken (headers: Headers): string | undefined {
  const authorization = headers.get('authorization')
  if (authorization !== null) return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1]
  if (headers.get('upgrade')?.toLowerCase() !== 'websocket') return undefined
  return (headers.get('sec-websocket-protocol') ?? '')
    .split(',')
    .map(protocol => protocol.trim())
    .find(protocol => protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX))
    ?.slice(TOKEN_SUBPROTOCOL_PREFIX.length)
}

const DOWNLOAD_LINK_PREFIX = `${API_PREFIX}${DOWNLOADS_PATH}/`

function isDownloadLink (method: string, path: string): boolean {
  return method === 'GET' && path.startsWith(DOWNLOAD_LINK_PREFIX) && TICKET_PATTERN.test(path.slice(DOWNLOAD_LINK_PREFIX.length))
}

/** The routes whose body is raw bytes, each with its one type. */
const RAW_UPLOADS = new Map([[API_PREFIX + UPDATE_APPLY_PATH, RELEASE_BUNDLE_TYPE], [API_PREFIX + FILES_PATH, FILE_UPLOAD_TYPE]])

function isRawUpload (method: string, path: string, contentType: string | undefined): boolean {
  return method === 'POST' && RAW_UPLOADS.get(path) !== undefined && contentType?.toLowerCase() === RAW_UPLOADS.get(path)
}

function isJson (contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType)
}

/** Constant-time comparison; hashing first makes lengths equal. The token's own digest is made once. */
function tokensEqual (presented: string | undefined, expectedDigest: Uint8Array): boolean {
  if (presented === undefined) return false
  return timingSafeEqual(digestOf(presented), expectedDigest)
}

/** Through crypto/sha256.ts: libsodium hashes a token in a third of node:crypto's time (every request pays it). */
function digestOf (value: string): Uint8Array {
  return sha256(Buffer.from(value))
}
