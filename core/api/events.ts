// GET /api/v1/events: the node's event stream over a WebSocket, one EventFrame JSON per message.
// `?since=<id>` resumes after a reconnect; `&epoch=` tells whether that id is from this daemon run.
import type { IncomingMessage } from 'node:http'
import { upgradeWebSocket } from '@hono/node-server'
import type { Context } from 'hono'
import { CausetteError } from '../errors.js'
import type { EventStream } from './node-api.js'
import type { EventsQuery } from './query-schemas.js'
import type { EventFrame } from './schema.js'
import { EVENTS_SUBPROTOCOL } from './schema.js'
import { oneWritePerTick } from './turn-writes.js'

/**
 * Browsers offer `[EVENTS_SUBPROTOCOL, 'causette.token.<token>']`; we answer with this one, so the
 * token is never echoed back and the browser sees the subprotocol it asked for.
 */
export { EVENTS_SUBPROTOCOL }
const OPEN = 1
/** A client this far behind is closed and reconnects with ?since=, instead of growing our memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024
const CLOSE_TRY_AGAIN_LATER = 1013

export function selectSubprotocol (offered: Set<string>): string | false {
  return offered.has(EVENTS_SUBPROTOCOL) ? EVENTS_SUBPROTOCOL : false
}

export async function openEventStream (c: Context, events: EventStream, query: EventsQuery): Promise<Response> {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new CausetteError('BAD_REQUEST', 'events are served over a WebSocket: send an Upgrade request')
  }
  const since = resumePoint(events, query)
  // Only a browser sends an Origin, and the guard let through only our own: this is an app tab.
  const client = { app: c.req.header('origin') !== undefined }
  // The upgraded request's socket is the WebSocket's (none under app.request, in tests).
  const beforeWrite = oneWritePerTick((c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket)
  let unsubscribe = (): void => {}
  return await upgradeWebSocket(c, {
    onOpen: (_event, ws) => {
      unsubscribe = events.subscribe(since, frame => {
        if (ws.readyState !== OPEN) return
        if (((ws.raw as { bufferedAmount?: number } | undefined)?.bufferedAmount ?? 0) > MAX_BUFFERED_BYTES) {
          unsubscribe()
          ws.close(CLOSE_TRY_AGAIN_LATER, 'too far behind; reconnect with ?since=')
          return
        }
        beforeWrite()
        ws.send(encoded(frame))
      }, client)
    },
    onClose: () => { unsubscribe() }
  })
}

/** Each frame's JSON, made once for every stream that sends it (an app open in several tabs, an integration beside it). */
const encodedFrames = new WeakMap<EventFrame, string>()

function encoded (frame: EventFrame): string {
  let text = encodedFrames.get(frame)
  if (text === undefined) {
    text = JSON.stringify(frame)
    encodedFrames.set(frame, text)
  }
  return text
}

/** Ids restart with each daemon run: an id from another epoch means "send me all you still have". */
function resumePoint (events: EventStream, { since, epoch }: EventsQuery): number | undefined {
  if (since === undefined) return undefined
  return epoch === undefined || epoch === events.epoch ? since : 0
}
