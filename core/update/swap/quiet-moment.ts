// When to swap: nothing sent or received, and the user not acting in the app, for a while; but
// never postponed past a bound, so a busy desk still updates the same day.
import { setTimeout as sleep } from 'node:timers/promises'

/** What the quiet moment watches; the node's wiring gives these. */
export interface QuietSignals {
  /** True while something is being sent or received right now. */
  busy: () => boolean
  /** When the last traffic or user action was (the node's last event), on the quiet moment's clock. */
  lastActivityAt: () => number
}

export interface QuietMomentInit {
  /** How long without activity counts as quiet. */
  quietMs: number
  /** The longest an update waits for quiet; after that it goes ahead. */
  maxWaitMs: number
  /** How often to look again while waiting. */
  pollMs: number
  /** Milliseconds: monotonic by default, so a wall clock set back postpones no update. */
  now: () => number
}

export const DEFAULT_QUIET_MOMENT: QuietMomentInit = { quietMs: 15_000, maxWaitMs: 15 * 60_000, pollMs: 1_000, now: () => performance.now() }

/** Whether to swap now, having waited since `waitingSince`. Pure. */
export function isQuietMoment (signals: QuietSignals, waitingSince: number, init: Pick<QuietMomentInit, 'quietMs' | 'maxWaitMs' | 'now'>): boolean {
  const now = init.now()
  const waited = now - waitingSince
  // A clock that went back cannot say how long we waited: waiting on could last as long as it went back.
  if (waited < 0 || waited >= init.maxWaitMs) return true
  return !signals.busy() && now - signals.lastActivityAt() >= init.quietMs
}

/** Resolves at the first quiet moment (or at the bound). */
export async function waitForQuietMoment (signals: QuietSignals, init: QuietMomentInit = DEFAULT_QUIET_MOMENT): Promise<void> {
  const waitingSince = init.now()
  while (!isQuietMoment(signals, waitingSince, init)) await sleep(init.pollMs)
}

/** Signals for a process that watches nothing: always quiet (tests, and a node without traffic). */
export const ALWAYS_QUIET: QuietSignals = { busy: () => false, lastActivityAt: () => -Infinity }
