import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { addSeq, EMPTY_SEQ_SET, hasSeq } from '../../core/messaging/seq-set.js'

test('seqs arriving in any order, with repeats, end as one contiguous run', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 200 }).chain(n => fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()].map(i => i + 1), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 1, max: n })))), ([n, order, repeats]) => {
    let set = EMPTY_SEQ_SET
    for (const seq of [...order, ...repeats]) set = addSeq(set, seq, 1024)
    assert.deepEqual(set, { contiguous: n, above: [] })
  }))
})

test('a gap stays visible: what is held above it is listed, sorted, bounded to the lowest', () => {
  let set = EMPTY_SEQ_SET
  for (const seq of [1, 2, 5, 4, 9]) set = addSeq(set, seq, 2)
  assert.deepEqual(set, { contiguous: 2, above: [4, 5] })
  assert.ok(hasSeq(set, 1) && hasSeq(set, 5) && !hasSeq(set, 3) && !hasSeq(set, 9))
  set = addSeq(set, 3, 2)
  assert.deepEqual(set, { contiguous: 5, above: [] })
})
