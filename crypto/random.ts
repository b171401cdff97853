// Random bytes from the platform CSPRNG (WebCrypto in browsers and Node). libsodium's
// randombytes_buf makes one call per byte in browsers, so we never use it. Small requests are cut
// from a pool filled by one platform call per POOL_BYTES, each byte handed out once: the call, not
// the bytes, is what costs (a message's id and salt took ~2% of a sender's CPU as two calls).
const POOL_BYTES = 4096
/** Larger requests go to the platform directly. */
const POOLED_AT_MOST = 256
let pool: Uint8Array = new Uint8Array(0)
let offset = 0

export function randomBytes (length: number): Uint8Array {
  if (length > POOLED_AT_MOST) return platformRandom(length)
  if (offset + length > pool.length) {
    pool = platformRandom(POOL_BYTES)
    offset = 0
  }
  const bytes = pool.slice(offset, offset + length)
  pool.fill(0, offset, offset + length) // handed out: not kept in the pool
  offset += length
  return bytes
}

function platformRandom (length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  // getRandomValues fills at most 65,536 bytes per call.
  for (let start = 0; start < length; start += 65536) {
    globalThis.crypto.getRandomValues(bytes.subarray(start, Math.min(length, start + 65536)))
  }
  return bytes
}
