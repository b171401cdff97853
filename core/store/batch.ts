// One LevelDB batch operation on any sub-database of the profile's root database (its `sublevel`
// says which): what GroupCommit and the journal write together.
import type { AbstractBatchOperation } from 'abstract-level'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each op carries its sublevel's own types
export type BatchOp = AbstractBatchOperation<any, any, any>
