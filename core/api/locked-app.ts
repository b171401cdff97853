// The hono application of a locked node (locked-node.ts): the same guard as the started node's
// (token, loopback Host, own Origin, JSON, body limit), the browser app, and under /api only the
// routes of locked-routes.ts; every other API route answers NODE_LOCKED (423).
import type { Hono } from 'hono'
import { finishApp, guardedApp } from './app.js'
import { errorResponse } from './errors.js'
import { oneUnlockAtATime, type LockedNode } from './locked-node.js'
import { lockedRoutes } from './locked-routes.js'
import { registerRoutes } from './register.js'

export interface LockedAppInit {
  locked: LockedNode
  token: string
  port: number
  uiDir?: string
}

export function createLockedApp ({ locked, token, port, uiDir }: LockedAppInit): Hono {
  const app = guardedApp({ token, port })
  registerRoutes(app, oneUnlockAtATime(locked), lockedRoutes)
  // The guard ran first: only the token holder learns that the node is locked.
  app.all('/api/*', c => errorResponse(c, 'NODE_LOCKED', `this node is locked: it waits for the passphrase of ${locked.profile}; type it in the app (causette with no command opens it)`))
  finishApp(app, uiDir, async () => locked.name ?? 'causette')
  return app
}
