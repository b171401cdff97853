// Starts the local API: hono on Node's HTTP server, bound to 127.0.0.1 only, with the WebSocket
// upgrade handled by `ws` through @hono/node-server. Writes api.json for the CLI while it runs. A
// locked node (locked-node.ts) is served by the locked app until it unlocks, then by the same
// server's full app: same port, same token, the same tab.
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import { setTimeout as sleep } from 'node:timers/promises'
import { WebSocketServer } from 'ws'
import type { NodeApi } from './node-api.js'
import { removeApiFile, writeApiFile } from './api-file.js'
import { createApiApp } from './app.js'
import { createLockedApp } from './locked-app.js'
import type { LockedNode } from './locked-node.js'
import { boundConnections, DEFAULT_API_LIMITS, eventSocketGate, type ApiLimits, type ApiLog } from './connection-limits.js'
import { selectSubprotocol } from './events.js'
import { withSecurityHeaders } from './security-headers.js'
import { loadOrCreateApiToken } from './token.js'
import { defaultUiDir } from './ui.js'

export const DEFAULT_API_PORT = 7421
const LOOPBACK = '127.0.0.1'

/** The started node, or the locked one waiting for its passphrase: the server serves the started node's routes once it unlocks. */
export type ServedNode = { node: NodeApi, locked?: undefined } | { locked: LockedNode, node?: undefined }

export type ApiServerInit = ServedNode & {
  home: string
  /** Default DEFAULT_API_PORT; 0 picks a free one. */
  port?: number
  /** The built browser app; default ui/dist of this package. */
  uiDir?: string
  /** Bounds on sockets and their timeouts; DEFAULT_API_LIMITS for what is not given. */
  limits?: Partial<ApiLimits>
  /** Where refusals are reported; default console.warn. */
  log?: ApiLog
}

export interface ApiServer {
  url: string
  token: string
  /** `graceMs`: how long answers under way may take to go out before their connections are cut (default none). */
  close: (graceMs?: number) => Promise<void>
}

export async function startApiServer ({ node, locked, home, port = DEFAULT_API_PORT, uiDir = defaultUiDir(), limits: given, log = console.warn }: ApiServerInit): Promise<ApiServer> {
  const token = await loadOrCreateApiToken(home)
  const limits = { ...DEFAULT_API_LIMITS, ...given }
  const sockets: WebSocketServer = new WebSocketServer({
    noServer: true,
    handleProtocols: selectSubprotocol,
    verifyClient: eventSocketGate(limits, () => sockets.clients.size, log)
  })
  // The Host check needs the bound port, known only once listening (port 0): until then, refuse.
  let fetch: (request: Request, env: unknown) => Response | Promise<Response> = () => new Response(null, { status: 503 })
  const server = createAdaptorServer({
    fetch: (request, env) => fetch(request, env),
    websocket: { server: sockets },
    createServer: serverWithSecurityHeaders
  }) as Server
  boundConnections(server, limits, log)
  const boundPort = await listen(server, port)
  const serve = (started: NodeApi): void => { fetch = createApiApp({ node: started, token, port: boundPort, uiDir }).fetch }
  if (node !== undefined) serve(node)
  else fetch = createLockedApp({ locked: unlockThenServe(locked, serve), token, port: boundPort, uiDir }).fetch
  const url = `http://${LOOPBACK}:${boundPort}`
  await writeApiFile(home, { url, token, pid: process.pid })

  let closing: Promise<void> | undefined
  const close = async (graceMs = 0): Promise<void> => {
    closing ??= (async () => {
      await removeApiFile(home)
      for (const socket of sockets.clients) socket.terminate()
      // Refuses new connections and closes the idle ones; an answer under way may finish within the grace.
      const closed = new Promise<void>(resolve => server.close(() => { resolve() }))
      if (graceMs > 0) await Promise.race([closed, sleep(graceMs)])
      server.closeAllConnections()
      await closed
    })()
    await closing
  }
  return { url, token, close }
}

/** The locked node whose unlock, once it succeeds, hands every next request to the started node's routes. */
function unlockThenServe (locked: LockedNode, serve: (node: NodeApi) => void): LockedNode {
  return {
    ...locked,
    unlock: async passphrase => {
      const started = await locked.unlock(passphrase)
      serve(started)
      return started
    }
  }
}

// One of createServer's overloads: the one @hono/node-server calls, with its options and listener.
const serverWithSecurityHeaders = ((options: ServerOptions, listener: (request: IncomingMessage, response: ServerResponse) => void) => createServer(options, withSecurityHeaders(listener))) as typeof createServer

async function listen (server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE'
        ? new Error(`port ${port} on ${LOOPBACK} is already in use (another causette daemon?); choose another with --api-port`, { cause: error })
        : error)
    }
    server.once('error', onError)
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the API server has no TCP address')
  return address.port
}
