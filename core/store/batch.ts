// One LevelDB batch operation on any sub-database of the profile's root database (its `sublevel`
// says which): what GroupCommit and the journal write together.
import type { AbstractBatchOperation } from 'abstract-level'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each op carries its sublevel's own types
export type BatchOp = AbstractBatchOperation<any, any, any>

/**
 * Keeps only the last operation on each key of each sub-database, in order: the batch means the
 * same, and values written many times in one batch (a session record) are encoded once.
 */
export function lastWriteWins (ops: BatchOp[]): BatchOp[] {
  const last = new Map<unknown, Map<unknown, number>>()
  ops.forEach((op, index) => {
    let keys = last.get(op.sublevel)
    if (keys === undefined) { keys = new Map(); last.set(op.sublevel, keys) }
    keys.set(op.key, index)
  })
  if ([...last.values()].reduce((n, keys) => n + keys.size, 0) === ops.length) return ops
  return ops.filter((op, index) => last.get(op.sublevel)!.get(op.key) === index)
}
