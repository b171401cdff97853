// The limit on JSON request bodies. A body that declares its length is judged by that header alone:
// Node's HTTP parser holds a body to its Content-Length, so nothing longer can follow. hono's
// bodyLimit reads `c.req.raw.body` first, which makes @hono/node-server build a whole web Request
// (headers copied, the body wrapped in a ReadableStream) for every request: a third of what the API
// added to a message (docs/speed.md). Only a chunked body, or one handed in without a length
// (app.request in tests), still goes through hono's, which counts its bytes as they come.
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { errorResponse } from './errors.js'

const BODILESS = new Set(['GET', 'HEAD'])

/** `streamed`: the paths whose bodies are streamed to disk, not held, and bounded by their route (app.ts). */
export function limitJsonBody (maxBytes: number, streamed: ReadonlySet<string>): MiddlewareHandler {
  const tooLarge = (c: Context): Response => errorResponse(c, 'PAYLOAD_TOO_LARGE', `request bodies are limited to ${maxBytes} bytes`)
  const counted = bodyLimit({ maxSize: maxBytes, onError: tooLarge })
  return async (c, next) => {
    if (streamed.has(c.req.path)) return await next()
    const declared = c.req.header('content-length')
    if (c.req.header('transfer-encoding') !== undefined) return await counted(c, next)
    if (declared !== undefined) return Number(declared) > maxBytes ? tooLarge(c) : await next()
    return BODILESS.has(c.req.method) ? await next() : await counted(c, next)
  }
}
