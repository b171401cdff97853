// After an update, on a Windows desk: the entry in Settings > Apps, the launcher and the Run key
// catch up with the program (core/desk/refresh-desk.ts). A launcher that runs is moved aside to be
// replaced; should that fail too, the Run key's refresh, which needs the new launcher, is tried again
// each minute, a few times.
import { currentDesk } from '../desk/locations.js'
import { refreshAppsEntry, refreshLauncher, refreshWindowsDesk, type DeskRefresh, type DeskRefreshOptions } from '../desk/refresh-desk.js'
import { describeSteps } from './desk-context.js'

export interface KeepDeskCurrent {
  profile: string
  log: (line: string) => void
  retryMs?: number
  tries?: number
  /** The refresh's own options beyond the profile (tests: a registry and files of their own). */
  desk?: Partial<DeskRefreshOptions>
}

/** Resolves once the desk is current, was not ours to change, or the tries ran out. */
export async function keepDeskCurrent ({ profile, log, retryMs = 60_000, tries = 10, desk = {} }: KeepDeskCurrent): Promise<void> {
  const options: DeskRefreshOptions = { deskEnv: currentDesk(), executable: process.execPath, ...desk, profile }
  try {
    logChanges(await refreshAppsEntry(options), log)
  } catch (error) {
    log(`desk: could not bring its entry in Settings > Apps up to date: ${(error as Error).message}`)
  }
  try {
    logChanges(await refreshLauncher(options), log)
  } catch (error) {
    log(`desk: could not bring the launcher up to date (at the next start, then): ${(error as Error).message}`)
  }
  for (let left = tries; left > 0; left--) {
    try {
      const result = await refreshWindowsDesk(options)
      if ('steps' in result) {
        logChanges(result, log)
        return
      }
      if (result.skipped !== 'launcher-running') return
    } catch (error) {
      log(`desk: could not bring the launcher and the Run key up to date: ${(error as Error).message}`)
      return
    }
    if (left > 1) await new Promise(resolve => setTimeout(resolve, retryMs).unref())
  }
}

function logChanges (result: DeskRefresh, log: (line: string) => void): void {
  if (!('steps' in result) || !result.steps.some(step => step.changed)) return
  for (const line of describeSteps(result.steps, 'updated', 'unchanged')) log(`desk: ${line}`)
}
