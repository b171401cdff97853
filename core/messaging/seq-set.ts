// Which of an author's messages in a conversation we hold, by their signed seq (1, 2, 3, ...): every
// seq up to `contiguous`, and the few above it that came early. It is what catch-up sync tells the
// author, and it stays small: in the usual case `above` is empty. The stored shape is the store's.
import type { SeqSet } from '../store/records.js'

export type { SeqSet }

export const EMPTY_SEQ_SET: SeqSet = { contiguous: 0, above: [] }

export function hasSeq (set: SeqSet, seq: number): boolean {
  return seq <= set.contiguous || set.above.includes(seq)
}

/** The set with `seq` added; `maxAbove` bounds what is kept above the contiguous run (the lowest stay). */
export function addSeq (set: SeqSet, seq: number, maxAbove: number): SeqSet {
  if (hasSeq(set, seq)) return set
  if (seq !== set.contiguous + 1) {
    const above = [...set.above, seq].sort((a, b) => a - b).slice(0, maxAbove)
    return { contiguous: set.contiguous, above }
  }
  let contiguous = seq
  let i = 0
  while (i < set.above.length && set.above[i] === contiguous + 1) { contiguous++; i++ }
  return { contiguous, above: set.above.slice(i) }
}

/**
 * The set without `seq` (its message could not be stored after all): the seqs of the contiguous run
 * above it move to `above`, the lowest `maxAbove` kept. Claiming less than is held only makes the
 * author send some messages again, which are refused as replays; claiming more would lose them.
 */
export function removeSeq (set: SeqSet, seq: number, maxAbove: number): SeqSet {
  if (!hasSeq(set, seq)) return set
  if (seq > set.contiguous) return { contiguous: set.contiguous, above: set.above.filter(s => s !== seq) }
  const run: number[] = []
  for (let s = seq + 1; s <= set.contiguous && run.length < maxAbove; s++) run.push(s)
  return { contiguous: seq - 1, above: [...run, ...set.above].slice(0, maxAbove) }
}
