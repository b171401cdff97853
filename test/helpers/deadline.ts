// Deadlines of the tests' waits. A test waits for readiness (an event, a state, a poll), and the
// deadline only decides when a wait that will never end is reported, so it costs nothing when all
// is well and must be generous: a call site states what the wait takes at most on a quiet machine,
// and the wait allows LOAD_MARGIN times that, for a CI machine whose cores are busy with other work
// (four daemons starting next to two busy loops took five times as long as one alone).
export const LOAD_MARGIN = 4

/** The deadline for a wait that takes at most `quietMs` on a quiet machine. */
export function underLoad (quietMs: number): number {
  return quietMs * LOAD_MARGIN
}
