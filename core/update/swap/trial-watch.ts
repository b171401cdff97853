// The old version's last job: start the new one and watch its trial. The new one may be a file
// that cannot even run our code (it crashes or hangs before any hook of ours), so only the old
// process can roll it back: if the new one exits, or its time runs out, before it confirms, the
// old process stops it, puts itself back in place and hands over to itself. A new version that
// starts locked (a passphrase nobody has typed yet) moves the trial file to its open stage once its
// locked API answers: for this process that is a confirmation; its first unlock settles the rest.
// A new version that exits after `causette stop` asked it to (core/runtime/stop-request.ts) was not
// judged: this process leaves the trial to the next start and starts nothing.
import { type ChildProcess } from 'node:child_process'
import { access } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { stopRequestedOf } from '../../runtime/stop-request.js'
import { handOverTo } from './hand-over.js'
import { launchDetached, RESTART_EXIT_CODE, TRIAL_WATCHER_ENV, type Supervisor } from './restart.js'
import { finishRollback } from './rollback.js'
import { timeUp } from './start-hooks.js'
import { trialFile, type SwapPaths } from './swap-paths.js'
import { claimTrialForRollback, readTrial, writeTrial, type Trial } from './trial.js'

export interface TrialWatchInit {
  supervisor: Supervisor
  /** How often to look at the trial file. */
  pollMs?: number
  now?: () => number
  log?: (line: string) => void
}

type Outcome = 'confirmed' | 'exited' | 'timed-out'

/** Call once the node and the API have stopped. Resolves to this process's exit code. */
export async function restartIntoTrial (paths: SwapPaths, args: string[], init: TrialWatchInit): Promise<number> {
  const recorded = await readTrial(paths.home)
  if (recorded === undefined) return handOverTo(paths.executable, args, init.supervisor)
  // The trial's time counts from the restart, not from the swap (the node took a while to stop).
  const trial = { ...recorded, startedAt: (init.now ?? Date.now)() }
  await writeTrial(paths.home, trial)
  const child = launchDetached(paths.executable, args, { ...process.env, [TRIAL_WATCHER_ENV]: String(process.pid) })
  const exited = exitOf(child)
  const outcome = await watchTrial(paths.home, trial, exited, init.pollMs)
  if (outcome === 'exited' && child.pid !== undefined && await stopRequestedOf(paths.home) === child.pid) {
    init.log?.(`update: version ${trial.to} was stopped on request during its trial; its trial goes on at the next start`)
    // Even under systemd: the person asked for a stop, not a restart.
    return 0
  }
  // A confirmation just before the claim wins: the new version is healthy.
  if (outcome === 'confirmed' || !await claimTrialForRollback(paths.home)) return leaveRunning(child, init.supervisor)
  child.kill('SIGKILL')
  await exited
  const reason = outcome === 'exited' ? `version ${trial.to} exited during its trial without confirming its health` : timeUp(trial)
  await finishRollback(paths, reason)
  init.log?.(`update rolled back: ${reason}`)
  return handOverTo(paths.executable, args, init.supervisor)
}

/**
 * Watches the trial that starts now. Its time counts on a monotonic clock: the system clock stepped
 * forward during the trial (NTP after a wake) rolled back a healthy version at once, and one set
 * back let a hung version run on. The trial file's startedAt, by the system clock, is for a process
 * started later, which has only that.
 */
async function watchTrial (home: string, trial: Trial, exited: Promise<void>, pollMs = 250): Promise<Outcome> {
  const endsAt = performance.now() + trial.trialMs
  let hasExited = false
  void exited.then(() => { hasExited = true })
  while (performance.now() < endsAt) {
    if (!await exists(trialFile(home))) return 'confirmed'
    if (hasExited) return 'exited'
    await Promise.race([sleep(pollMs), exited])
  }
  return await exists(trialFile(home)) ? 'timed-out' : 'confirmed'
}

/** Under systemd the new version is in our cgroup and dies with us: systemd starts it again, trial over. */
function leaveRunning (child: ChildProcess, supervisor: Supervisor): number {
  child.unref()
  return supervisor === 'systemd' ? RESTART_EXIT_CODE : 0
}

function exitOf (child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    child.once('exit', () => { resolve() })
    child.once('error', () => { resolve() })
  })
}

async function exists (path: string): Promise<boolean> {
  return await access(path).then(() => true, () => false)
}
