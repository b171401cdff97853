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

/** `Node`: what the handlers call, the started node's NodeApi, or the locked node's LockedNode (locked-app.ts). */
export interface RouteInput<Query, Body, Node = NodeApi> {
  node: Node
  query: Query
  body: Body
  c: Context
}

export interface ApiRoute<Query = unknown, Body = unknown, Node = NodeApi> {
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
  handle: (input: RouteInput<Query, Body, Node>) => Promise<unknown>
}

/** Keeps each route's handler typed by its own schemas while the table holds them all. */
export function defineRoute<Query = undefined, Body = undefined, Node = NodeApi> (route: ApiRoute<Query, Body, Node>): ApiRoute<unknown, unknown, Node> {
  return route as unknown as ApiRoute<unknown, unknown, Node>
}
