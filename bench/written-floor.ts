// The file bench's written floor (bench/files.ts): the bare stream's bytes written down the way the
// attachment store writes chunks, so that what the disk costs any transfer shows beside the bytes
// that are only counted.
import type { FileHandle } from 'node:fs/promises'
import type { Stream } from '@libp2p/interface'
import { SYNC_EVERY_BYTES } from '../core/files/chunk-file.js'

/** A store's pace of writing: a write gathers what arrived (up to a MiB), one fdatasync every 32 MiB. */
const FLOOR_WRITE_BYTES = 2 ** 20
const FLOOR_SYNC_BYTES = SYNC_EVERY_BYTES

/**
 * Bytes written down in order as they arrive, the way the attachment store writes chunks: gathered
 * into one `writev` while the previous one is under way, made durable every 32 MiB and at the end.
 */
export class DurableFile {
  #parts: Uint8Array[] = []
  #gathered = 0
  #position = 0
  #sinceSync = 0
  #writing: Promise<void> = Promise.resolve()

  constructor (private readonly file: FileHandle) {}

  /** Gathers `data`; true once a write's worth is gathered (then call `write`). */
  add (data: Uint8Array | Iterable<Uint8Array>): boolean {
    for (const part of data instanceof Uint8Array ? [data] : data) {
      this.#parts.push(part)
      this.#gathered += part.byteLength
    }
    return this.#gathered >= FLOOR_WRITE_BYTES
  }

  async finish (): Promise<void> {
    await this.write()
    await this.#writing
    await this.file.datasync()
  }

  /** Waits for the write under way, then starts the next with what was gathered. */
  async write (): Promise<void> {
    await this.#writing
    if (this.#gathered === 0) return
    const parts = this.#parts
    const position = this.#position
    this.#position += this.#gathered
    this.#sinceSync += this.#gathered
    this.#parts = []
    this.#gathered = 0
    const sync = this.#sinceSync >= FLOOR_SYNC_BYTES
    if (sync) this.#sinceSync = 0
    this.#writing = this.file.writev(parts, position).then(async () => { if (sync) await this.file.datasync() })
  }
}

/**
 * What `stream` receives, into `sink`; resolves with the byte count once the holder has sent all. A
 * stream's async iterator buffers whatever arrives, however slow its reader: paused while a write
 * waits for the one before it, the stream holds back its window and the holder waits.
 */
export async function receiveInto (stream: Stream, sink: DurableFile): Promise<number> {
  let bytes = 0
  await new Promise<void>((resolve, reject) => {
    stream.addEventListener('message', ({ data }) => {
      bytes += data.byteLength
      if (!sink.add(data)) return
      stream.pause()
      sink.write().then(() => { stream.resume() }, reject)
    })
    stream.addEventListener('end', () => { resolve() }, { once: true })
    stream.addEventListener('close', ({ error }) => { reject(error ?? new Error('the bare stream closed before its end')) }, { once: true })
  })
  return bytes
}
