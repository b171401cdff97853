// The swap's part in `causette start`, in the order start runs it: settle a pending trial before
// the profile is opened, give the node its installer, confirm the trial once the API answers (a
// locked node: pass its run stage once the locked API answers, then confirm or roll back at the
// first unlock, marking each open begun until it ends), then, when the node has stopped for an update or a rollback, hand over to the
// right executable.
import { CausetteError, codedError } from '../../errors.js'
import { ActivityClock } from './activity-clock.js'
import { handOverTo } from './hand-over.js'
import { createSwapInstaller } from './installer.js'
import { DEFAULT_QUIET_MOMENT } from './quiet-moment.js'
import type { ReleaseInstaller } from '../installer.js'
import { requestRestart, restartRequested } from './restart-request.js'
import { confirmHealthy, rollBackAtDeadline, rollBackOpenStage, settleTrialAtStart, type Settlement } from './start-hooks.js'
import { restartIntoTrial } from './trial-watch.js'
import { swapSetupFor, type SwapSetup } from './swap-setup.js'
import { clearOpeningMark, markOpening, passRunStage, trialPending } from './trial.js'

export type SwapStopReason = 'update' | 'rolled-back'

export interface StartSwapInit {
  home: string
  currentVersion: string
  /** The CLI arguments a restarted node runs with. */
  restartArgs: string[]
  env?: NodeJS.ProcessEnv
  log: (line: string) => void
}

interface LocalApi { url: string, token: string }

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
  #openingMarked = false
  /** Settles once confirmRunning gave its verdict on the run stage (an unlock may come in before it is even asked). */
  readonly #runStage = awaitedOnce()
  /** Settles once this start's own trial is over, either way, or when there was none: an install waits for it. */
  readonly #ownTrial = awaitedOnce()

  constructor (private readonly init: StartSwapInit) {
    this.#setup = swapSetupFor(init.home, init.env)
    this.installer = this.#setup.paths === undefined ? undefined : createSwapInstaller({
      paths: this.#setup.paths,
      currentVersion: init.currentVersion,
      trialMs: this.#setup.trialMs,
      quiet: this.activity,
      quietMoment: { ...DEFAULT_QUIET_MOMENT, quietMs: this.#setup.quietMs },
      ownTrialOver: async () => { await this.#ownTrial.promise },
      requestRestart
    })
  }

  /** A trial to settle: the start holds the profile first, so it never settles one under a node that runs. */
  async trialPending (): Promise<boolean> {
    const paths = this.#setup.paths
    return paths !== undefined && await trialPending(paths.home)
  }

  /**
   * Early in start, with the profile held. 'hand-over': a rollback put the previous version back, and
   * this process must let the profile go and hand over to it (handOver('rolled-back')) instead of starting.
   */
  async settle (): Promise<'hand-over' | undefined> {
    const paths = this.#setup.paths
    if (paths === undefined) return undefined
    this.#settlement = await settleTrialAtStart(paths, this.init.env === undefined ? {} : { env: this.init.env })
    const settled = this.#settlement
    if (settled.kind === 'no-trial' || settled.kind === 'rolled-back') this.#ownTrial.resolve()
    if (settled.kind === 'rolled-back') {
      this.init.log(`update rolled back: ${settled.reason}`)
      return settled.restart ? 'hand-over' : undefined
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

  /** Once the node runs and its API is up: asks the API, and ends the trial, in either stage, if it answers. */
  async confirm (api: LocalApi): Promise<void> {
    try {
      await this.#confirm(api)
    } finally {
      // Confirmed, or left to the deadline: either way an install waiting for it decides now (it refuses while the trial is pending).
      this.#ownTrial.resolve()
    }
  }

  async #confirm (api: LocalApi): Promise<void> {
    const paths = this.#setup.paths
    const settled = this.#settlement
    if (paths === undefined || settled.kind === 'no-trial' || settled.kind === 'rolled-back') return
    // Left unconfirmed: the deadline rolls this version back (in the open stage, the next start tries again).
    if (!await this.#answers(api, settled.trial.to)) return
    if (await confirmHealthy(paths)) {
      this.#cancelDeadline()
      this.init.log(`update: version ${settled.trial.to} is healthy; the previous one is kept beside it`)
    }
  }

  /**
   * A locked start, once its API is up: the new version runs and serves, which the old process watching
   * it accepts; what is left, opening the profile, waits for the passphrase without a deadline.
   */
  async confirmRunning (api: LocalApi): Promise<void> {
    try {
      await this.#passRunStage(api)
    } finally {
      this.#runStage.resolve()
    }
  }

  async #passRunStage (api: LocalApi): Promise<void> {
    const paths = this.#setup.paths
    const settled = this.#settlement
    if (paths === undefined || settled.kind !== 'on-trial' || !await this.#answers(api, settled.trial.to)) return
    if (!await passRunStage(paths.home)) return
    this.#cancelDeadline()
    this.#settlement = { kind: 'awaiting-open', trial: settled.trial }
    this.init.log(`update: version ${settled.trial.to} runs and serves, locked; it is confirmed at the first unlock, or rolled back to ${settled.trial.from} if it cannot open the profile then`)
  }

  /**
   * Before an unlock opens the profile: in the open stage, marks the open begun, so that a start after a
   * process that died, was killed or hung in it rolls the new version back (settleTrialAtStart).
   */
  async openBegun (): Promise<void> {
    // An unlock typed as the locked API came up waits for the run stage's verdict: marked only once
    // the trial was in its open stage, an open begun during the verdict and killed there ran on at the
    // next start instead of rolling back. The API serves before api.json is written and the start asks
    // it, so an unlock (a tab left open across the restart) can even come before the verdict is asked.
    if (this.#settlement.kind === 'on-trial') await this.#runStage.promise
    const paths = this.#setup.paths
    if (paths === undefined || this.#settlement.kind !== 'awaiting-open') return
    await markOpening(paths.home)
    this.#openingMarked = true
  }

  /** The open ended, either way (after openFailed's verdict): a stop now is no failure of the new version. */
  async openEnded (): Promise<void> {
    const paths = this.#setup.paths
    if (paths === undefined || !this.#openingMarked) return
    await clearOpeningMark(paths.home)
    this.#openingMarked = false
  }

  /**
   * The open stage's verdict on an open of the profile that failed: anything but a wrong passphrase rolls
   * the new version back, and stops this node to hand over to the previous one. Resolves to what to tell
   * whoever typed the passphrase; undefined when nothing was rolled back.
   */
  async openFailed (error: unknown): Promise<CausetteError | undefined> {
    const paths = this.#setup.paths
    const settled = this.#settlement
    if (paths === undefined || settled.kind !== 'awaiting-open' || codedError(error)?.code === 'PASSPHRASE_WRONG') return undefined
    const why = error instanceof Error ? error.message : String(error)
    const reason = `version ${settled.trial.to} could not open the profile after the passphrase was typed: ${why}`
    const result = await rollBackOpenStage(paths, reason)
    if (!result.rolledBack) return undefined
    this.#settlement = { kind: 'no-trial' }
    this.#ownTrial.resolve()
    this.init.log(`update rolled back: ${reason}`)
    // With nothing restored this version is all there is: it stays locked, and may be tried again.
    if (!result.restored) return undefined
    this.#rolledBack = true
    this.#signalRolledBack()
    // Why in detail is for the logs (update.log, causette.log), as for any other failure the app is told of.
    return new CausetteError('UPDATE_ROLLED_BACK', `The new version ${settled.trial.to} could not open this profile (update.log in the profile says why). causette goes back to version ${settled.trial.from} and restarts: type the passphrase again in a moment.`, { cause: error })
  }

  async #answers (api: LocalApi, version: string): Promise<boolean> {
    const answer = await fetch(`${api.url}/api/v1/status`, { headers: { authorization: `Bearer ${api.token}` } }).then(response => response.status, (error: Error) => error.message)
    if (answer !== 200) this.init.log(`update: version ${version} is not healthy: its API answered ${answer}`)
    return answer === 200
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

/** A promise settled from outside, once (a second resolve does nothing). */
function awaitedOnce (): { promise: Promise<void>, resolve: () => void } {
  let resolve: () => void = () => {}
  const promise = new Promise<void>(settle => { resolve = settle })
  return { promise, resolve }
}
