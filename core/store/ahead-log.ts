// The point of durability of every write to the profile's database: one synchronous append per
// batch to a file beside it, before LevelDB is asked. A write() that returned is in the operating
// system's hands and survives the process being killed (SIGKILL), as LevelDB's own log (written
// without sync) would; but it costs one system call on this thread instead of a round trip to
// LevelDB's thread pool. LevelDB takes the batch behind it; when it has taken everything, the
// file is emptied. At open, whatever the file still holds is applied again: puts and deletes of
// exact bytes, in order, so applying a batch twice leaves what applying it once leaves.
//
// A record: u32 length of the body, u32 CRC-32 of the body, body. The body: u32 count, then per
// operation a type byte (0 put, 1 del), u32 key length, key, and for a put u32 value length, value.
// A record cut short (the process died in write(), or the disk filled) fails its length or CRC
// and ends the replay: it was never acknowledged.
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs'
import { crc32 } from 'node:zlib'

/** A batch operation as LevelDB takes it: keys and values already encoded. */
export interface EncodedOp {
  type: 'put' | 'del'
  key: string | Uint8Array
  value?: string | Uint8Array
}

/** What replay hands LevelDB: bytes only, in the order they were written. */
export interface ByteOp { type: 'put' | 'del', key: Buffer, value?: Buffer }

const HEADER = 8
/** The file is emptied once LevelDB holds everything in it and it is at least this long. */
const EMPTY_AFTER_BYTES = 256 * 1024

function byteLength (data: string | Uint8Array): number {
  return typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength
}

/** Writes `data` with its u32 length at `at` of `record`; returns where the next field starts. */
function writeField (record: Buffer, at: number, data: string | Uint8Array): number {
  let length = data.length
  if (typeof data === 'string') length = record.write(data, at + 4, 'utf8')
  else record.set(data, at + 4)
  record.writeUInt32LE(length, at)
  return at + 4 + length
}

export function encodeRecord (ops: readonly EncodedOp[]): Buffer {
  let length = 4
  for (const op of ops) length += 1 + 4 + byteLength(op.key) + (op.type === 'put' ? 4 + byteLength(op.value ?? '') : 0)
  const record = Buffer.allocUnsafe(HEADER + length)
  let at = record.writeUInt32LE(ops.length, HEADER)
  for (const op of ops) {
    at = record.writeUInt8(op.type === 'put' ? 0 : 1, at)
    at = writeField(record, at, op.key)
    if (op.type === 'put') at = writeField(record, at, op.value ?? '')
  }
  record.writeUInt32LE(length, 0)
  record.writeUInt32LE(crc32(record.subarray(HEADER)), 4)
  return record
}

/** The operations of every whole record of `file`, in order; stops at the first damaged or cut one. */
export function decodeRecords (file: Buffer): ByteOp[] {
  const ops: ByteOp[] = []
  let at = 0
  while (at + HEADER <= file.length) {
    const length = file.readUInt32LE(at)
    const body = file.subarray(at + HEADER, at + HEADER + length)
    if (length < 4 || body.length < length || crc32(body) !== file.readUInt32LE(at + 4)) break
    ops.push(...decodeBody(body))
    at += HEADER + length
  }
  return ops
}

function decodeBody (body: Buffer): ByteOp[] {
  const ops: ByteOp[] = []
  let at = 4
  const bytes = (): Buffer => {
    const length = body.readUInt32LE(at)
    const slice = body.subarray(at + 4, at + 4 + length)
    at += 4 + length
    return slice
  }
  for (let i = body.readUInt32LE(0); i > 0; i--) {
    const type = body.readUInt8(at++) === 0 ? 'put' : 'del'
    const key = bytes()
    ops.push(type === 'put' ? { type, key, value: bytes() } : { type, key })
  }
  return ops
}

export class AheadLog {
  #fd: number
  #size: number

  private constructor (readonly path: string, fd: number) {
    this.#fd = fd
    this.#size = fstatSync(fd).size
  }

  /** Opens (or creates) the file; `pending` are the operations it still holds, to apply again. */
  static open (path: string): { log: AheadLog, pending: ByteOp[] } {
    const fd = openSync(path, 'a+')
    const log = new AheadLog(path, fd)
    return { log, pending: log.#size === 0 ? [] : decodeRecords(readFileSync(path)) }
  }

  /**
   * Writes one batch; when this returns, the batch survives the process. On a failure (a full disk)
   * the file is cut back to where it was, so that no later record follows a torn one, and it throws.
   */
  append (ops: readonly EncodedOp[]): void {
    const record = encodeRecord(ops)
    try {
      let written = 0
      while (written < record.length) written += writeSync(this.#fd, record, written)
    } catch (error) {
      try { ftruncateSync(this.#fd, this.#size) } catch {} // a cut record is dropped at replay anyway
      throw error
    }
    this.#size += record.length
  }

  /** LevelDB holds everything written: empties the file when it has grown (each call is a system call). */
  settled (): void {
    if (this.#size >= EMPTY_AFTER_BYTES) this.empty()
  }

  empty (): void {
    ftruncateSync(this.#fd, 0)
    this.#size = 0
  }

  close (): void {
    closeSync(this.#fd)
  }
}
