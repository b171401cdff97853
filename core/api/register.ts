// Mounts the route table on hono: validates each input with its zod schema, calls the node, and
// shapes the answer as the table says. Handlers never see unvalidated input.
import type { Context, Hono } from 'hono'
import type { z } from 'zod'
import { CausetteError } from '../errors.js'
import type { NodeApi } from './node-api.js'
import { describeZodError } from './errors.js'
import { discardRest } from './streamed-body.js'
import type { ApiRoute, RouteResponse } from './route.js'
import { API_PREFIX } from './schema.js'

export function registerRoutes<Node = NodeApi> (app: Hono, node: Node, routes: ReadonlyArray<ApiRoute<unknown, unknown, Node>>): void {
  for (const route of routes) {
    app.on(route.method.toUpperCase(), `${API_PREFIX}${route.path.replace(/\{(\w+)\}/g, ':$1')}`, async c => {
      if (route.rawBody === undefined) return await serve(node, route, c)
      try {
        return await serve(node, route, c)
      } catch (error) {
        // A streamed body refused before its end: read it out, or the client never sees the answer.
        await discardRest(c.req.raw.body)
        throw error
      }
    })
  }
}

async function serve<Node> (node: Node, route: ApiRoute<unknown, unknown, Node>, c: Context): Promise<Response> {
  const query = route.query === undefined ? undefined : parseInput(route.query, c.req.query(), 'query')
  const body = route.body === undefined ? undefined : parseInput(route.body, await readJsonBody(c), 'body')
  if (route.rawBody !== undefined && c.req.header('content-type')?.toLowerCase() !== route.rawBody.contentType) {
    throw new CausetteError('UNSUPPORTED_MEDIA_TYPE', `this route takes a body of type ${route.rawBody.contentType}`)
  }
  const result = await route.handle({ node, query, body, c })
  return respond(c, route.response, result)
}

function parseInput<T> (schema: z.ZodType<T>, input: unknown, where: 'query' | 'body'): T {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw new CausetteError('BAD_REQUEST', `invalid ${where}: ${describeZodError(parsed.error)}`)
  return parsed.data
}

async function readJsonBody (c: Context): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    throw new CausetteError('BAD_REQUEST', 'the request body is not valid JSON')
  }
}

function respond (c: Context, response: RouteResponse, result: unknown): Response {
  switch (response.kind) {
    case 'json': return c.json(result, response.status)
    case 'empty': return c.body(null, 204)
    case 'text':
    case 'download':
    case 'websocket': return result as Response
  }
}
