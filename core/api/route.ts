// The shape of one API route. routes.ts lists them all; register.ts mounts that list on hono and
// openapi.ts describes the same list, so the document cannot drift from what is served.
import type { Context } from 'hono'
import type { z } from 'zod'
import type { NodeApi } from './node-api.js'

export type RouteResponse =
  | { kind: 'json', status: 200 | 201, schema: z.ZodType, description: string }
  | { kind: 'empty', description: string }
  | { kind: 'text', description: string }
  /** A file's bytes, as a ready Response with its own headers (file-content.ts). */
  | { kind: 'download', description: string }
  | { kind: 'websocket', frame: z.ZodType, description: string }

export interface RouteInput<Query, Body> {
  node: NodeApi
  query: Query
  body: Body
  c: Context
}

export interface ApiRoute<Query = unknown, Body = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** Relative to API_PREFIX, in OpenAPI syntax: `/members/{peerId}/remove` (the handler reads `c.req.param('peerId')`). */
  path: string
  operationId: string
  summary: string
  query?: z.ZodType<Query>
  body?: z.ZodType<Body>
  /** A body that is not JSON, streamed to the handler unread (`c.req.raw.body`), e.g. a release bundle: its type and what it is. */
  rawBody?: { contentType: string, description: string }
  response: RouteResponse
  /** Returns the JSON payload (json), nothing (empty) or a ready Response (text, websocket). */
  handle: (input: RouteInput<Query, Body>) => Promise<unknown>
}

/** Keeps each route's handler typed by its own schemas while the table holds them all. */
export function defineRoute<Query = undefined, Body = undefined> (route: ApiRoute<Query, Body>): ApiRoute {
  return route as unknown as ApiRoute
}
