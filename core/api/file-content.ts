// A file's bytes in and out of the API, streamed: an upload handed to the node as it arrives, a held
// attachment streamed to the client with the headers of download-headers.ts. Memory stays flat.
import { CausetteError } from '../errors.js'
import { downloadHeaders, imageTypeOf, inlineHeaders, inlineImageType } from './download-headers.js'
import type { FileApi } from './node-api.js'

/** Enough of an image to check its signature (download-headers.ts: a WebP's form is at bytes 8 to 11). */
const IMAGE_HEAD_BYTES = 12

/** The request body as the node reads it; an empty body is refused before the node sees anything. */
export async function nonEmptyBody (body: ReadableStream<Uint8Array> | null): Promise<AsyncIterable<Uint8Array>> {
  const refuse = (): CausetteError => new CausetteError('BAD_REQUEST', 'the body must be the file\'s bytes; it is empty (an empty file cannot be sent)')
  if (body === null) throw refuse()
  // preventCancel: if the node stops reading (a refusal), the rest can still be read and discarded.
  const { first, rest } = await firstBytes(body.values({ preventCancel: true }))
  if (first === undefined) throw refuse()
  return prepend(first, rest)
}

/** The attachment's plaintext as a download, or as an image (`inline`) when it is one and its bytes say so. */
export async function attachmentResponse (files: FileApi, id: string, inline: boolean): Promise<Response> {
  const { attachment, content } = await files.attachmentContent(id)
  if (!inline) return new Response(pulledStream(content[Symbol.asyncIterator]()), { headers: downloadHeaders(attachment) })
  const { first, rest } = await firstBytes(content[Symbol.asyncIterator](), IMAGE_HEAD_BYTES)
  // Stated as one of the four raster types, it is shown as the one its bytes are (never by the stated type alone).
  const stated = inlineImageType(attachment.type)
  const shown = first === undefined ? undefined : imageTypeOf(first)
  if (stated === undefined || first === undefined || shown === undefined) {
    await rest.return?.()
    throw new CausetteError('BAD_REQUEST', stated === undefined
      ? `a ${attachment.type} file is never shown inline (only JPEG, PNG, WebP and GIF images): save it instead`
      : 'the file does not begin as a JPEG, PNG, WebP or GIF image: save it instead')
  }
  return new Response(pulledStream(prepend(first, rest)), { headers: inlineHeaders(attachment, shown) })
}

/** The first `atLeast` bytes or more, joined from the first pieces, and the iterator after them (first undefined: nothing at all). */
async function firstBytes (iterator: AsyncIterator<Uint8Array>, atLeast = 1): Promise<{ first: Uint8Array | undefined, rest: AsyncIterator<Uint8Array> }> {
  const pieces: Uint8Array[] = []
  let length = 0
  while (length < atLeast) {
    const next = await iterator.next()
    if (next.done === true) break
    pieces.push(next.value)
    length += next.value.byteLength
  }
  return { first: length === 0 ? undefined : pieces.length === 1 ? pieces[0] : Buffer.concat(pieces), rest: iterator }
}

async function * prepend (first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first
  try {
    for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value
  } finally {
    // The client went away (or the upload was cut): let the source close its file or stream.
    await rest.return?.()
  }
}

/** One piece read each time the client takes one (backpressure); a client gone closes the source. */
function pulledStream (source: AsyncIterator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull: async controller => {
      const next = await source.next()
      if (next.done === true) controller.close()
      else controller.enqueue(next.value)
    },
    cancel: async () => { await source.return?.() }
  })
}
