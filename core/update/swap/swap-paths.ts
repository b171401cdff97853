// Where the swap keeps its files: beside the installed executable (the incoming copy; the previous
// version and a rolled-back one are named in core/runtime/kept-executables.ts, which uninstall
// reads too) and in the profile (the trial, the update log).
import { basename, dirname, join } from 'node:path'

/** The executable this process runs from and restarts on, and its profile. */
export interface SwapPaths {
  executable: string
  home: string
}

/** The copy being written: a hidden name in the same directory, so the final rename is atomic. */
export function incomingExecutable (executable: string): string {
  return join(dirname(executable), `.${basename(executable)}.incoming-${process.pid}`)
}

export function trialFile (home: string): string {
  return join(home, 'update-trial.json')
}

/**
 * The trial of a new version that runs and serves, locked (its profile has a passphrase nobody has
 * typed yet): renamed from trialFile, so that this and a rollback's claim cannot both win; the first
 * unlock confirms it or rolls it back (trial.ts).
 */
export function openStageFile (home: string): string {
  return join(home, 'update-trial.opens.json')
}

/**
 * There while a node opens the profile in the trial's open stage (written before the open, removed when
 * it ends either way): a start that finds it with the open stage finds a version that died opening.
 */
export function openingMarkFile (home: string): string {
  return join(home, 'update-trial.opening')
}

/** The trial once a rollback has claimed it (renamed from trialFile or openStageFile, so confirm and rollback cannot both win). */
export function rollbackClaimFile (home: string): string {
  return join(home, 'update-trial.rollback.json')
}

export function updateLogFile (home: string): string {
  return join(home, 'update.log')
}
