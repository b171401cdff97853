// Reading and writing the fixed-layout binary forms of this layer (ratchet messages, inner
// payloads): big-endian u32 lengths and counters, exact-length fields, no trailing bytes.
export function u32be (value: number): Uint8Array {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, value)
  return bytes
}

export function isU32 (value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffffffff
}

/** Reads fields in order; every shortfall or leftover goes to `fail`, which throws. */
export class ByteReader {
  private offset = 0
  constructor (private readonly bytes: Uint8Array, private readonly fail: (why: string) => never) {}

  get position (): number { return this.offset }

  u8 (field: string): number {
    return this.take(1, field)[0]!
  }

  u32 (field: string): number {
    const b = this.take(4, field)
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0)
  }

  take (length: number, field: string): Uint8Array {
    if (this.bytes.length - this.offset < length) this.fail(`truncated ${field}`)
    const out = this.bytes.subarray(this.offset, this.offset + length)
    this.offset += length
    return out
  }

  /** A u32 length, at most `max`, then that many bytes. */
  sized (max: number, field: string): Uint8Array {
    const length = this.u32(`${field} length`)
    if (length > max) this.fail(`${field} over ${max} bytes`)
    return this.take(length, field)
  }

  rest (): Uint8Array {
    const out = this.bytes.subarray(this.offset)
    this.offset = this.bytes.length
    return out
  }

  end (): void {
    if (this.offset !== this.bytes.length) this.fail('trailing bytes')
  }
}
