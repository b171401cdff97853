// The ReleaseInstaller the node's update service calls with a verified release: wait for a quiet
// moment, swap the executable, record the trial, ask for the restart. Nothing is changed when it
// refuses or fails: the current version runs on.
import { CausetteError } from '../../errors.js'
import { DEFAULT_QUIET_MOMENT, waitForQuietMoment, type QuietMomentInit, type QuietSignals } from './quiet-moment.js'
import type { ReleaseInstaller, VerifiedRelease } from '../installer.js'
import { restorePrevious, swapExecutable } from './swap-executable.js'
import type { SwapPaths } from './swap-paths.js'
import { readOpenStage, readRollbackClaim, readTrial, writeTrial } from './trial.js'
import { appendUpdateLog, wasRolledBack } from './update-log.js'

export interface SwapInstallerInit {
  /** Undefined when this process does not run from a packaged executable: installs are refused. */
  paths: SwapPaths | undefined
  currentVersion: string
  trialMs: number
  quiet: QuietSignals
  quietMoment?: QuietMomentInit
  /**
   * Settles once the trial of this process's own version, if any, is over (start-wiring.ts): a release
   * handed over as the node starts (held complete, or fetched from a colleague who greeted it) waits for
   * the start's confirmation rather than being refused as "on trial", and not offered again until the next start.
   */
  ownTrialOver?: () => Promise<void>
  /** Stops the node and restarts on the installed executable (restart-request.ts in `causette start`). */
  requestRestart: () => void
  now?: () => number
}

export function createSwapInstaller (init: SwapInstallerInit): ReleaseInstaller {
  let installing = false
  return {
    description: init.paths === undefined
      ? 'none (not a packaged executable): the release is kept ready to install'
      : `swaps ${init.paths.executable} at a quiet moment and restarts on it; rolls back unless the new version is healthy within ${Math.round(init.trialMs / 1000)} s`,
    install: async (release: VerifiedRelease) => {
      const paths = init.paths
      if (paths === undefined) throw new CausetteError('UPDATE_SWAP_UNAVAILABLE', 'this node runs from source, not from a causette executable: update it with git')
      if (installing) throw new CausetteError('UPDATE_SWAP_REFUSED', 'an update is already being installed')
      installing = true
      try {
        await init.ownTrialOver?.()
        await refuseUnwanted(paths.home, release.version)
        await waitForQuietMoment(init.quiet, init.quietMoment ?? DEFAULT_QUIET_MOMENT)
        await swapExecutable(paths.executable, release)
        await recordTrial(paths, { from: init.currentVersion, to: release.version, startedAt: (init.now ?? Date.now)(), attempts: 0, trialMs: init.trialMs })
      } catch (error) {
        installing = false
        throw error
      }
      init.requestRestart()
    }
  }
}

async function refuseUnwanted (home: string, version: string): Promise<void> {
  if (await readTrial(home) !== undefined || await readOpenStage(home) !== undefined || await readRollbackClaim(home) !== undefined) {
    throw new CausetteError('UPDATE_SWAP_REFUSED', 'a new version is on trial: wait until it is confirmed or rolled back')
  }
  if (await wasRolledBack(home, version)) {
    throw new CausetteError('UPDATE_SWAP_REFUSED', `version ${version} was rolled back on this desk before (see update.log in the profile): not installed again`)
  }
}

/** Without its trial the new version would run unwatched: undo the swap if the trial cannot be written. */
async function recordTrial (paths: SwapPaths, trial: { from: string, to: string, startedAt: number, attempts: number, trialMs: number }): Promise<void> {
  try {
    await writeTrial(paths.home, trial)
  } catch (error) {
    await restorePrevious(paths.executable)
    throw new CausetteError('UPDATE_SWAP_FAILED', `update not installed: the trial could not be recorded in the profile (${(error as Error).message}); the current version stays in place`)
  }
  await appendUpdateLog(paths.home, { event: 'installed', from: trial.from, to: trial.to })
}
