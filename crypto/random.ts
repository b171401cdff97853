// Random bytes from the platform CSPRNG (WebCrypto in browsers and Node). libsodium's
// randombytes_buf makes one call per byte in browsers, so we never use it.
export function randomBytes (length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  // getRandomValues fills at most 65,536 bytes per call.
  for (let offset = 0; offset < length; offset += 65536) {
    globalThis.crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65536)))
  }
  return bytes
}

// Small values (message ids, salts, nonces) are cut from a pool: one platform call per 4 KiB
// rather than per value (the call, not the bytes, is what costs: 2% of a sender's CPU per message,
// bench, issue 15). Each value is copied out and its bytes in the pool zeroed, so the pool never
// keeps what it handed out.
const POOL_BYTES = 4096
const MAX_POOLED_BYTES = 64
let pool: Uint8Array = new Uint8Array(0)
let poolOffset = 0

export function smallRandomBytes (length: number): Uint8Array {
  if (length > MAX_POOLED_BYTES) return randomBytes(length)
  if (poolOffset + length > pool.length) {
    pool = randomBytes(POOL_BYTES)
    poolOffset = 0
  }
  const bytes = pool.slice(poolOffset, poolOffset + length)
  pool.fill(0, poolOffset, poolOffset + length)
  poolOffset += length
  return bytes
}
