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
