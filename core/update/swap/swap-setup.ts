// What this process swaps and restarts on, from how it runs: the packaged executable itself
// (isPackaged), or the file CAUSETTE_EXECUTABLE names (the tests' stand-in executables, which
// run the CLI from source). A node run from source with neither has nothing to swap.
import { isPackaged } from '../../runtime/build-info.js'
import { DEFAULT_QUIET_MOMENT } from './quiet-moment.js'
import { detectSupervisor, type Supervisor } from './restart.js'
import type { SwapPaths } from './swap-paths.js'
import { DEFAULT_TRIAL_MS } from './trial.js'

export interface SwapSetup {
  paths: SwapPaths | undefined
  trialMs: number
  /** How long without traffic counts as a quiet moment (the update tests shorten it). */
  quietMs: number
  supervisor: Supervisor
}

export function swapSetupFor (home: string, env: NodeJS.ProcessEnv = process.env): SwapSetup {
  const executable = nonEmpty(env.CAUSETTE_EXECUTABLE) ?? (isPackaged() ? process.execPath : undefined)
  return {
    paths: executable === undefined ? undefined : { executable, home },
    trialMs: positiveInteger(env.CAUSETTE_UPDATE_TRIAL_MS) ?? DEFAULT_TRIAL_MS,
    quietMs: positiveInteger(env.CAUSETTE_UPDATE_QUIET_MS) ?? DEFAULT_QUIET_MOMENT.quietMs,
    supervisor: detectSupervisor(env)
  }
}

function nonEmpty (value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

function positiveInteger (value: string | undefined): number | undefined {
  const number = Number(value)
  return value !== undefined && Number.isSafeInteger(number) && number > 0 ? number : undefined
}
