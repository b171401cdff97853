import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { addSeq, EMPTY_SEQ_SET, hasSeq, removeSeq } from '../../core/messaging/seq-set.js'

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

test('a seq taken out (its message was not stored) is no longer claimed; nothing else held is lost within the bound', () => {
  fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1 }), fc.nat(), (seqs, pick) => {
    let set = EMPTY_SEQ_SET
    for (const seq of seqs) set = addSeq(set, seq, 1024)
    const removed = seqs[pick % seqs.length]!
    const after = removeSeq(set, removed, 1024)
    assert.ok(!hasSeq(after, removed))
    for (const seq of seqs) if (seq !== removed) assert.ok(hasSeq(after, seq), `seq ${seq} still claimed`)
    assert.deepEqual(addSeq(after, removed, 1024), set, 'stored again, the set is as before')
  }))
  assert.deepEqual(removeSeq({ contiguous: 10, above: [12] }, 3, 4), { contiguous: 2, above: [4, 5, 6, 7] }, 'bounded to the lowest')
  assert.deepEqual(removeSeq({ contiguous: 2, above: [5] }, 4, 4), { contiguous: 2, above: [5] })
})
