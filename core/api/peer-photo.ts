// A colleague's photo as the API serves it: an image only when its first bytes are the JPEG or WebP
// the node stored (checked again here, as attachment images are), with `nosniff` and the sandbox CSP.
import { CausetteError } from '../errors.js'
import { imageTypeOf, photoHeaders } from './download-headers.js'
import type { NodeApi } from './node-api.js'

export async function peerPhotoResponse (node: Pick<NodeApi, 'peerPhoto'>, peerId: string): Promise<Response> {
  const photo = await node.peerPhoto(peerId)
  const shown = imageTypeOf(photo.bytes.subarray(0, 16))
  if (shown !== photo.type) throw new CausetteError('NOT_FOUND', `the photo held for ${peerId} is not the ${photo.type} it should be`)
  return new Response(photo.bytes as Uint8Array<ArrayBuffer>, { headers: photoHeaders(shown, photo.bytes.length) })
}
