// The held log of a stored file (files/<id>/held): which chunks of its `data` file are verified and
// whole. It is appended, 8 bytes a record, never rewritten in place:
//   held(i)     chunk i was checked against the chunk list and written to `data`;
//   dropped(i)  chunk i failed authentication when read back: it is to be fetched again;
//   synced(n)   `data` was made durable (fdatasync) after the first n records were appended.
// A held record is appended as soon as its chunk is written, so a SIGKILL loses no chunk; only the
// records a synced record covers are trusted as they stand after a power cut, and the others are
// checked again (read back and hashed) when the store opens. Each record carries its value twice,
// once XORed with the record's kind, so a torn or zero-filled tail ends the log instead of lying.

export const RECORD_BYTES = 8
const HELD = 0x48454c44 // 'HELD'
const DROPPED = 0x44524f50 // 'DROP'
const SYNCED = 0x53594e43 // 'SYNC'

export type HeldRecord = { kind: 'held' | 'dropped', index: number } | { kind: 'synced', records: number }

const KIND_MASK = { held: HELD, dropped: DROPPED, synced: SYNCED } as const

export function encodeHeldRecord (record: HeldRecord): Uint8Array {
  const value = record.kind === 'synced' ? record.records : record.index
  const bytes = new Uint8Array(RECORD_BYTES)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, value)
  view.setUint32(4, (value ^ KIND_MASK[record.kind]) >>> 0)
  return bytes
}

/** The records of `bytes` up to the first that is not one (a torn or zeroed tail), and the bytes they span. */
export function decodeHeldLog (bytes: Uint8Array): { records: HeldRecord[], validBytes: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const records: HeldRecord[] = []
  for (let at = 0; at + RECORD_BYTES <= bytes.byteLength; at += RECORD_BYTES) {
    const value = view.getUint32(at)
    const kind = (view.getUint32(at + 4) ^ value) >>> 0
    if (kind === HELD) records.push({ kind: 'held', index: value })
    else if (kind === DROPPED) records.push({ kind: 'dropped', index: value })
    else if (kind === SYNCED) records.push({ kind: 'synced', records: value })
    else break
  }
  return { records, validBytes: records.length * RECORD_BYTES }
}

/**
 * The chunks the log says are held, below `chunkCount`: `trusted` were made durable before a synced
 * record; `unchecked` were written after the last one and must be read back and hashed before use.
 */
export function heldChunks (records: readonly HeldRecord[], chunkCount: number): { trusted: Set<number>, unchecked: Set<number> } {
  const heldAt = new Map<number, number>() // chunk → position of its latest held record
  let durable = 0
  records.forEach((record, position) => {
    if (record.kind === 'synced') durable = Math.max(durable, Math.min(record.records, position))
    else if (record.kind === 'dropped') heldAt.delete(record.index)
    else if (record.index < chunkCount) heldAt.set(record.index, position)
  })
  const trusted = new Set<number>()
  const unchecked = new Set<number>()
  for (const [index, position] of heldAt) (position < durable ? trusted : unchecked).add(index)
  return { trusted, unchecked }
}

/** A compact log saying `held` are held and durable: what a store rewrites a log to once it has checked it. */
export function compactHeldLog (held: Iterable<number>): Uint8Array {
  const records: HeldRecord[] = [...held].sort((a, b) => a - b).map(index => ({ kind: 'held', index }))
  records.push({ kind: 'synced', records: records.length })
  const bytes = new Uint8Array(records.length * RECORD_BYTES)
  records.forEach((record, position) => { bytes.set(encodeHeldRecord(record), position * RECORD_BYTES) })
  return bytes
}
