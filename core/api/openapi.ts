// The OpenAPI 3.1 document, generated from the route table and its zod schemas (zod 4's
// toJSONSchema). Schemas carrying `.meta({ id })` become components; the rest are inlined.
import { z } from 'zod'
import type { ApiRoute, RouteResponse } from './route.js'
import { API_PREFIX, ApiError, NODE_PROOF_PATH } from './schema.js'
import { DOWNLOADS_PATH } from './paths.js'

type JsonSchema = Record<string, unknown>
export interface OpenApiDocument {
  openapi: '3.1.0'
  info: { title: string, version: string, description: string }
  servers: Array<{ url: string }>
  paths: Record<string, Record<string, unknown>>
  components: { schemas: Record<string, JsonSchema>, securitySchemes: Record<string, unknown> }
  security: Array<Record<string, string[]>>
}

const COMPONENTS = '#/components/schemas/'
const cache = new WeakMap<readonly ApiRoute[], OpenApiDocument>()

export function openApiDocument (routes: readonly ApiRoute[]): OpenApiDocument {
  const cached = cache.get(routes)
  if (cached !== undefined) return cached
  const components = new ComponentSet()
  const paths: OpenApiDocument['paths'] = {}
  for (const route of routes) {
    paths[route.path] ??= {}
    paths[route.path][route.method] = describeOperation(route, components)
  }
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'causette local API',
      version: '1.0.0',
      description: 'The daemon API on 127.0.0.1. Every request needs the token of api.json in the profile, except the node proof (GET /node-proof).'
    },
    servers: [{ url: API_PREFIX }],
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'The api-token of the profile' } }
    },
    security: [{ token: [] }]
  }
  cache.set(routes, document)
  return document
}

function describeOperation (route: ApiRoute, components: ComponentSet): JsonSchema {
  const operation: JsonSchema = { operationId: route.operationId, summary: route.summary }
  // The routes the guard lets through without the token (guard.ts): the node proof, a download link.
  if (route.path === NODE_PROOF_PATH || route.path.startsWith(`${DOWNLOADS_PATH}/`)) operation.security = []
  const parameters = [
    ...[...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...(route.query === undefined ? [] : queryParameters(components.resolve(components.add(route.query, 'input'))))
  ]
  if (parameters.length > 0) operation.parameters = parameters
  if (route.body !== undefined) {
    operation.requestBody = { required: true, content: { 'application/json': { schema: components.add(route.body, 'input') } } }
  }
  if (route.rawBody !== undefined) {
    operation.requestBody = { required: true, description: route.rawBody.description, content: { [route.rawBody.contentType]: { schema: { type: 'string', format: 'binary' } } } }
  }
  operation.responses = {
    ...describeResponse(route.response, components),
    default: { description: 'An error', content: { 'application/json': { schema: components.add(ApiError, 'output') } } }
  }
  return operation
}

function describeResponse (response: RouteResponse, components: ComponentSet): JsonSchema {
  switch (response.kind) {
    case 'json':
      return { [response.status]: { description: response.description, content: { 'application/json': { schema: components.add(response.schema, 'output') } } } }
    case 'empty':
      return { 204: { description: response.description } }
    case 'text':
      return { 200: { description: response.description, content: { 'text/plain': { schema: { type: 'string' } } } } }
    case 'download':
      return { 200: { description: response.description, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } }
    case 'websocket':
      // OpenAPI has no WebSocket; the frame schema rides on an extension so it stays documented.
      return { 101: { description: response.description, 'x-websocket-frame': components.add(response.frame, 'output') } }
  }
}

function queryParameters (object: JsonSchema): JsonSchema[] {
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((object.required ?? []) as string[])
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema
    return { name, in: 'query', required: required.has(name), schema: rest, ...(description === undefined ? {} : { description }) }
  })
}

/** Collects the `$defs` of every converted schema as components, refusing two shapes for one id. */
class ComponentSet {
  readonly schemas: Record<string, JsonSchema> = {}

  add (schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = JSON.stringify(z.toJSONSchema(schema, { io, unrepresentable: 'any' })).replaceAll('"#/$defs/', `"${COMPONENTS}`)
    const { $schema: _dialect, $defs, ...root } = JSON.parse(converted) as JsonSchema & { $defs?: Record<string, JsonSchema> }
    for (const [id, definition] of Object.entries($defs ?? {})) {
      const existing = this.schemas[id]
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(definition)) {
        throw new Error(`schema ${id} has different input and output shapes; give one of them another id`)
      }
      this.schemas[id] = definition
    }
    return root
  }

  resolve (schema: JsonSchema): JsonSchema {
    const ref = schema.$ref
    return typeof ref === 'string' && ref.startsWith(COMPONENTS) ? this.schemas[ref.slice(COMPONENTS.length)] ?? schema : schema
  }
}
