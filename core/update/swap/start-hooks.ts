// What `causette start` calls around a trial. Early, before the profile is opened:
// settleTrialAtStart rolls back a trial that is due (a new version that started before and never
// confirmed, unless `causette stop` stopped it; a damaged trial file; a rollback left half done) or
// counts this start as the trial's attempt. Once the node runs and its API answers: confirmHealthy ends the trial. A node that
// starts locked passes the run stage once its locked API answers, and its first unlock ends the
// trial (confirmHealthy) or, if it cannot open the profile, rolls it back (rollBackOpenStage); a
// start that finds an open begun under that stage and never ended rolls it back too.
import { takeStopRequest } from '../../runtime/stop-request.js'
import type { SwapPaths } from './swap-paths.js'
import { TRIAL_WATCHER_ENV } from './restart.js'
import { finishRollback, rollBack, type RollbackResult } from './rollback.js'
import { claimOpenStageForRollback, clearOpeningMark, confirmOpenStage, confirmTrial, openingMarked, readOpenStage, readTrial, trialDamaged, trialDeadline, writeTrial, type Trial } from './trial.js'
import { appendUpdateLog } from './update-log.js'

export type Settlement =
  | { kind: 'no-trial' }
  /** This is the new version's start: confirm once healthy. `watched`: the old process watches the deadline. */
  | { kind: 'on-trial', trial: Trial, watched: boolean }
  /** The new version ran and served locked (before a restart, maybe): its first open of the profile ends the trial, with no deadline. */
  | { kind: 'awaiting-open', trial: Trial }
  /** A trial was rolled back; `restart`: this process runs the version rolled back and must hand over. */
  | { kind: 'rolled-back', restart: boolean, reason: string }

export interface SettleInit {
  now?: () => number
  env?: NodeJS.ProcessEnv
}

export async function settleTrialAtStart (paths: SwapPaths, init: SettleInit = {}): Promise<Settlement> {
  const interrupted = 'a rollback was interrupted; finished at the next start'
  // Taken at every start, trial or not, so that a mark is only ever about the run just before.
  const stopAsked = await takeStopRequest(paths.home) !== undefined
  const unfinished = await finishRollback(paths, interrupted)
  if (unfinished.rolledBack) return { kind: 'rolled-back', restart: unfinished.restored, reason: interrupted }
  const trial = await readTrial(paths.home)
  if (trial === undefined) return await settleOpenStage(paths)
  // A stop asked during the last attempt (`causette stop`) is no verdict: the trial goes on. A damaged file never does.
  if (trial.attempts > 0 && (!stopAsked || trialDamaged(trial))) {
    const reason = `version ${trial.to} started again without having confirmed its health (it crashed or was stopped during its trial)`
    const result = await rollBack(paths, reason)
    return result.rolledBack ? { kind: 'rolled-back', restart: result.restored, reason } : { kind: 'no-trial' }
  }
  // The new version's first start, or one after a stop: its time counts from now, even if the old one
  // was stopped after the swap and this is the next login.
  const started = { ...trial, startedAt: Math.max(trial.startedAt, (init.now ?? Date.now)()), attempts: trial.attempts + 1 }
  await writeTrial(paths.home, started)
  return { kind: 'on-trial', trial: started, watched: (init.env ?? process.env)[TRIAL_WATCHER_ENV] !== undefined }
}

/**
 * Restarts while locked are no failure (the desk was shut down before anyone typed the passphrase); a
 * restart after an open begun and never ended is: the new version died, was killed, or hung and was
 * stopped while opening the profile. The caller holds the profile, so no open is under way beside it.
 */
async function settleOpenStage (paths: SwapPaths): Promise<Settlement> {
  const opening = await readOpenStage(paths.home)
  if (opening === undefined) {
    // A mark left by an open whose rollback ended the open stage, and which died before clearing it.
    await clearOpeningMark(paths.home)
    return { kind: 'no-trial' }
  }
  if (!await openingMarked(paths.home)) return { kind: 'awaiting-open', trial: opening }
  const reason = `version ${opening.to} stopped while opening the profile after the unlock (it crashed, or hung and was stopped)`
  const result = await rollBackOpenStage(paths, reason)
  await clearOpeningMark(paths.home)
  return result.rolledBack ? { kind: 'rolled-back', restart: result.restored, reason } : { kind: 'no-trial' }
}

/** Ends the trial, in either stage: the node started and its API answered. False when there was no trial to end. */
export async function confirmHealthy (paths: SwapPaths): Promise<boolean> {
  const running = await readTrial(paths.home)
  const trial = running ?? await readOpenStage(paths.home)
  if (trial === undefined || !await (running === undefined ? confirmOpenStage(paths.home) : confirmTrial(paths.home))) return false
  await appendUpdateLog(paths.home, { event: 'confirmed', from: trial.from, to: trial.to })
  return true
}

/** The new version answered locked but could not open the profile with the right passphrase: back to the previous one. */
export async function rollBackOpenStage (paths: SwapPaths, reason: string): Promise<RollbackResult> {
  if (!await claimOpenStageForRollback(paths.home)) return { rolledBack: false, restored: false }
  return await finishRollback(paths, reason)
}

/**
 * For a trial nobody else watches (the old process died before handing over, and a supervisor or
 * the next login started us): rolls back at the deadline unless confirmed first, then calls
 * `onRolledBack`. Returns a function that cancels the timer.
 */
export function rollBackAtDeadline (paths: SwapPaths, trial: Trial, onRolledBack: (restore: boolean) => void, now: () => number = Date.now): () => void {
  const timer = setTimeout(() => {
    rollBack(paths, timeUp(trial)).then(result => {
      if (result.rolledBack) onRolledBack(result.restored)
    }).catch(error => { console.error(`causette update: the rollback failed: ${(error as Error).message}`) })
  }, timeLeft(trial, now()))
  return () => { clearTimeout(timer) }
}

/**
 * Never more than the trial's whole time: startedAt is by the system clock, and one set back since it
 * was written (NTP after a wake) put the deadline as far off as it went back, a hung version running
 * on unwatched for that long. The timer itself counts on a monotonic clock.
 */
function timeLeft (trial: Trial, now: number): number {
  return Math.min(trial.trialMs, Math.max(0, trialDeadline(trial) - now))
}

export function timeUp (trial: Trial): string {
  return `version ${trial.to} did not confirm its health within ${trial.trialMs / 1000} s`
}
