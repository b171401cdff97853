// The held log of a stored file (core/files/held-log.ts): which chunks are whole, which are durable,
// and a damaged tail that ends the log rather than lying about a chunk.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { compactHeldLog, decodeHeldLog, encodeHeldRecord, heldChunks, type HeldRecord } from '../../core/files/held-log.js'

const logOf = (...records: HeldRecord[]): Uint8Array => Buffer.concat(records.map(encodeHeldRecord))

test('held records before a synced record are trusted; those after it are to be checked; a drop undoes a hold', () => {
  const { records } = decodeHeldLog(logOf(
    { kind: 'held', index: 0 }, { kind: 'held', index: 1 }, { kind: 'synced', records: 2 },
    { kind: 'held', index: 2 }, { kind: 'dropped', index: 1 }, { kind: 'held', index: 9 }
  ))
  const { trusted, unchecked } = heldChunks(records, 5)
  assert.deepEqual([...trusted], [0])
  assert.deepEqual([...unchecked], [2], 'chunk 9 is beyond the list: not held')
})

test('a synced record covers only the records written before its fdatasync began', () => {
  // Chunk 1's record came while the fdatasync ran: the synced record says 1, so chunk 1 is checked.
  const { records } = decodeHeldLog(logOf({ kind: 'held', index: 0 }, { kind: 'held', index: 1 }, { kind: 'synced', records: 1 }))
  const { trusted, unchecked } = heldChunks(records, 2)
  assert.deepEqual([[...trusted], [...unchecked]], [[0], [1]])
})

test('a torn or zero-filled tail ends the log', () => {
  const whole = logOf({ kind: 'held', index: 0 }, { kind: 'held', index: 1 })
  for (const tail of [new Uint8Array(8), new Uint8Array([0, 0, 0, 2]), new Uint8Array([0, 0, 0, 2, 0x48, 0x45, 0x4c, 0x47])]) {
    const { records, validBytes } = decodeHeldLog(Buffer.concat([whole, tail]))
    assert.deepEqual(records, [{ kind: 'held', index: 0 }, { kind: 'held', index: 1 }])
    assert.equal(validBytes, whole.byteLength)
  }
})

test('a compact log says exactly the chunks it was made of, all durable', () => {
  const { trusted, unchecked } = heldChunks(decodeHeldLog(compactHeldLog([4, 0, 2])).records, 5)
  assert.deepEqual([[...trusted].sort(), [...unchecked]], [[0, 2, 4], []])
})

test('fuzz: any bytes decode to records that re-encode to their valid prefix; a flipped bit only cuts the log short', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), bytes => {
    const { records, validBytes } = decodeHeldLog(bytes)
    assert.deepEqual(Buffer.concat(records.map(encodeHeldRecord)), Buffer.from(bytes.subarray(0, validBytes)))
  }), { numRuns: 2000 })
  const record: fc.Arbitrary<HeldRecord> = fc.oneof(
    fc.record({ kind: fc.constantFrom('held' as const, 'dropped' as const), index: fc.nat(15) }, { noNullPrototype: true }),
    fc.record({ kind: fc.constant('synced' as const), records: fc.nat(20) }, { noNullPrototype: true })
  )
  // Never another valid record: what the damage costs is the records from it on (a chunk fetched or
  // checked again, a dropped chunk dropped again when it fails authentication once more).
  fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), fc.nat(), (records, bit) => {
    const flipped = Uint8Array.from(logOf(...records))
    const at = bit % (flipped.byteLength * 8)
    flipped[at >> 3]! ^= 1 << (at & 7)
    const decoded = decodeHeldLog(flipped).records
    assert.deepEqual(decoded, records.slice(0, decoded.length))
    assert.equal(decoded.length, Math.floor(at / 64), 'cut at the damaged record')
  }), { numRuns: 2000 })
})
