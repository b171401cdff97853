// The swap's part in `causette start`, in the order start runs it: settle a pending trial before
// the profile is opened, give the node its installer, confirm the trial once the API answers,
// then, when the node has stopped for an update or a rollback, hand over to the right executable.
import { ActivityClock } from './activity-clock.js'
import { handOverTo } from './hand-over.js'
import { createSwapInstaller } from './installer.js'
import { DEFAULT_QUIET_MOMENT } from './quiet-moment.js'
import type { ReleaseInstaller } from '../installer.js'
import { requestRestart, restartRequested } from './restart-request.js'
import { confirmHealthy, rollBackAtDeadline, settleTrialAtStart, type Settlement } from './start-hooks.js'
import { restartIntoTrial } from './trial-watch.js'
import { swapSetupFor, type SwapSetup } from './swap-setup.js'

export type SwapStopReason = 'update' | 'rolled-back'

export interface StartSwapInit {
  home: string
  currentVersion: string
  /** The CLI arguments a restarted node runs with. */
  restartArgs: string[]
  env?: NodeJS.ProcessEnv
  log: (line: string) => void
  /** See SwapInstallerInit.canRestartUnattended. */
  canRestartUnattended: () => Promise<boolean>
}

export class StartSwap {
  readonly activity = new ActivityClock()
  /** For the update service; undefined for a run from source (nothing to swap: the service keeps the release ready). */
  readonly installer: ReleaseInstaller | undefined
  readonly #setup: SwapSetup
  #settlement: Settlement = { kind: 'no-trial' }
  #rolledBack = false
  #signalRolledBack: () => void = () => {}
  readonly #rolledBackSignal = new Promise<void>(resolve => { this.#signalRolledBack = resolve })
  #cancelDeadline: () => void = () => {}

  constructor (private readonly init: StartSwapInit) {
    this.#setup = swapSetupFor(init.home, init.env)
    this.installer = this.#setup.paths === undefined ? undefined : createSwapInstaller({
      paths: this.#setup.paths,
      currentVersion: init.currentVersion,
      trialMs: this.#setup.trialMs,
      quiet: this.activity,
      quietMoment: { ...DEFAULT_QUIET_MOMENT, quietMs: this.#setup.quietMs },
      requestRestart,
      canRestartUnattended: init.canRestartUnattended
    })
  }

  /** Early in start. Resolves to an exit code when this process must hand over instead of starting. */
  async settle (): Promise<number | undefined> {
    const paths = this.#setup.paths
    if (paths === undefined) return undefined
    this.#settlement = await settleTrialAtStart(paths, this.init.env === undefined ? {} : { env: this.init.env })
    const settled = this.#settlement
    if (settled.kind === 'rolled-back') {
      this.init.log(`update rolled back: ${settled.reason}`)
      return settled.restart ? handOverTo(paths.executable, this.init.restartArgs, this.#setup.supervisor) : undefined
    }
    if (settled.kind === 'on-trial') {
      this.init.log(`update: version ${settled.trial.to} on trial; it must answer within ${settled.trial.trialMs / 1000} s of the restart`)
      if (!settled.watched) this.#cancelDeadline = rollBackAtDeadline(paths, settled.trial, restored => {
        // With nothing restored this version is all there is: it runs on.
        if (!restored) return
        this.#rolledBack = true
        this.#signalRolledBack()
      })
    }
    return undefined
  }

  /** Once the node runs and its API is up: asks the API, and ends the trial if it answers. */
  async confirm (api: { url: string, token: string }): Promise<void> {
    const paths = this.#setup.paths
    if (paths === undefined || this.#settlement.kind !== 'on-trial') return
    const answer = await fetch(`${api.url}/api/v1/status`, { headers: { authorization: `Bearer ${api.token}` } }).then(response => response.status, (error: Error) => error.message)
    if (answer !== 200) {
      // Left unconfirmed: the trial's deadline rolls this version back.
      this.init.log(`update: version ${this.#settlement.trial.to} is not healthy: its API answered ${answer}`)
      return
    }
    if (await confirmHealthy(paths)) {
      this.#cancelDeadline()
      this.init.log(`update: version ${this.#settlement.trial.to} is healthy; the previous one is kept beside it`)
    }
  }

  /** Resolves when the node must stop for an update or because its trial was rolled back. */
  async stopReason (): Promise<SwapStopReason> {
    return await Promise.race([restartRequested().then(() => 'update' as const), this.#rolledBackSignal.then(() => 'rolled-back' as const)])
  }

  /** After the node and the API stopped. Resolves to the exit code. */
  async handOver (reason: SwapStopReason): Promise<number> {
    const paths = this.#setup.paths
    if (paths === undefined) return 0
    if (reason === 'rolled-back' || this.#rolledBack) return handOverTo(paths.executable, this.init.restartArgs, this.#setup.supervisor)
    return await restartIntoTrial(paths, this.init.restartArgs, { supervisor: this.#setup.supervisor, log: this.init.log })
  }
}
