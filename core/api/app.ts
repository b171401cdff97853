// The hono application of the local API: the guard in front of everything, then the routes of the
// table, then the browser app. Testable without a socket (app.request); the security headers are
// the server's (security-headers.ts), on every response, this app's and Node's own.
import { Hono } from 'hono'
import type { NodeApi } from './node-api.js'
import { errorResponse, respondToError } from './errors.js'
import { limitJsonBody } from './body-limit.js'
import { requestGuard } from './guard.js'
import { provideProofKey } from './node-proof.js'
import { registerRoutes } from './register.js'
import { apiRoutes } from './routes.js'
import { serveUi } from './ui.js'
import { API_PREFIX, FILES_PATH, NODE_PROOF_PATH, UPDATE_APPLY_PATH } from './paths.js'

/** Bodies are small JSON documents; a message text is at most 64 Ki characters. */
const MAX_BODY_BYTES = 1024 * 1024

export interface ApiAppInit {
  node: NodeApi
  token: string
  /** The port the server listens on, which the Host check requires. */
  port: number
  uiDir?: string
}

export function createApiApp ({ node, token, port, uiDir }: ApiAppInit): Hono {
  // Streamed to disk, not held: a release bundle (hundreds of MB; its signed manifest bounds it,
  // core/update/bundle.ts) and a file to send (any size; the file store's limit bounds it).
  const app = guardedApp({ token, port }, new Set([API_PREFIX + UPDATE_APPLY_PATH, API_PREFIX + FILES_PATH]))
  registerRoutes(app, node, apiRoutes)
  finishApp(app, uiDir, async () => (await node.status()).name)
  return app
}

/** The guard, the body limit (but for `streamedBodies`) and the proof key: the same in front of a locked node's routes (locked-app.ts). */
export function guardedApp ({ token, port }: { token: string, port: number }, streamedBodies = new Set<string>()): Hono {
  const app = new Hono()
  app.use('*', requestGuard({ token, port }))
  app.use('/api/*', limitJsonBody(MAX_BODY_BYTES, streamedBodies))
  // The one route that reads it: an await on every request cost each of them a microtask turn.
  app.use(API_PREFIX + NODE_PROOF_PATH, provideProofKey(token))
  return app
}

/** After the routes: any other /api path is unknown, everything else is the browser app. */
export function finishApp (app: Hono, uiDir: string | undefined, nodeName: () => Promise<string>): void {
  app.all('/api/*', c => errorResponse(c, 'NOT_FOUND', `no API route ${c.req.method} ${c.req.path}`))
  serveUi(app, { dir: uiDir, nodeName })
  app.notFound(c => errorResponse(c, 'NOT_FOUND', `nothing at ${c.req.path}`))
  app.onError(respondToError)
}
