// The seqs a catch-up request names (ConversationHeads): uint32 on the wire since protons-runtime
// was found writing a uint64 from 2^31 to 2^32 - 1 as zeros; what earlier versions wrote as uint64
// still reads the same.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConversationHeads } from '../../core/protocol/wire.js'

/** A protobuf varint, written by the spec rather than by the codec under test. */
function varint (value: number): number[] {
  const bytes: number[] = []
  let rest = value
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  return [...bytes, rest]
}

const seqs = [1, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 1]

test('seqs on both sides of 2^31 go and come back unchanged', () => {
  for (const seq of seqs) {
    const heads = { conversation: 'c', contiguous: seq, above: [seq, 1], author: '' }
    assert.deepEqual(ConversationHeads.decode(ConversationHeads.encode(heads)), heads, `seq ${seq}`)
  }
})

test('the bytes are the varints of the spec, as an earlier version wrote them for uint64', () => {
  for (const seq of seqs) {
    const written = Uint8Array.from([0x10, ...varint(seq), 0x18, ...varint(seq)])
    assert.deepEqual(ConversationHeads.encode({ conversation: '', contiguous: seq, above: [seq], author: '' }), written, `seq ${seq}`)
    assert.deepEqual(ConversationHeads.decode(written), { conversation: '', contiguous: seq, above: [seq], author: '' })
  }
})
