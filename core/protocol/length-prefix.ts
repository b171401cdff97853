// The length prefix of our frames (unsigned varint), read with a bound on the prefix itself.
import { InvalidDataLengthLengthError } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

/**
 * What the decoder throws to be given one more byte of a prefix: lpStream catches it and reads on,
 * nobody sees it. One instance: a frame over 127 bytes (every message) needs a second byte, and a
 * new error captured its stack each time (4 µs, bench, issue 15).
 */
const PREFIX_GOES_ON = new RangeError('the length prefix goes on')

/**
 * lpStream and pbStream options for every protocol of ours: frames of at most `maxDataLength` bytes,
 * and a length prefix refused as soon as it is longer than such a length needs. @libp2p/utils reads
 * a prefix a byte at a time, calling the decoder again while it throws RangeError, and checks the
 * prefix's length only once it decodes: a prefix of endless continuation bytes (0x80 0x80 ...) was
 * read for as long as the peer sent it, each byte kept (about 100 bytes of heap per byte received).
 */
export function frameOptions (maxDataLength: number): { maxDataLength: number, lengthDecoder: (data: Uint8ArrayList) => number } {
  const maxPrefixBytes = Math.ceil(Math.log2(maxDataLength + 1) / 7)
  return {
    maxDataLength,
    lengthDecoder: (data) => {
      let length = 0
      for (let i = 0; i < Math.min(data.byteLength, maxPrefixBytes); i++) {
        const byte = data.get(i)
        length += (byte & 0x7f) * 2 ** (7 * i)
        if ((byte & 0x80) === 0) return length
      }
      // The error lpStream itself throws for a prefix too long: handlers treat it as an oversized frame.
      if (data.byteLength >= maxPrefixBytes) throw new InvalidDataLengthLengthError(`a length prefix longer than ${maxPrefixBytes} bytes`)
      throw PREFIX_GOES_ON // read one more byte
    }
  }
}

/** Bytes of the varint length prefix of a frame of `length` bytes (7 bits a byte). */
export function prefixBytes (length: number): number {
  let bytes = 1
  for (let rest = Math.floor(length / 0x80); rest > 0; rest = Math.floor(rest / 0x80)) bytes++
  return bytes
}
