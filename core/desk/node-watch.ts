// Watching this profile's node where nothing else does: Windows's Run key starts a program at login
// and never again, so a node that crashed would stay down until the next login (the systemd unit's
// Restart=on-failure and the LaunchAgent's KeepAlive do this elsewhere). The watcher holds
// `watching.pid` in the profile; every second it checks that it still does (`causette stop` takes
// the file away first, and the watcher then ends) and that the process api.json names still runs.
// A node that stops by itself removes its api.json (a clean stop, or an update handing over to the
// new version): nothing to do. One whose api.json names a process that is gone crashed, and is
// started again, at most RESTART_BURST times in RESTART_WINDOW_MS (the unit's StartLimitBurst); then
// the watcher gives up and tells the person at the desk, who has no console to read.
import { appendFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { readApiFile } from '../api/api-file.js'
import { BACKGROUND_LOG_FILE } from './background-node.js'
import { lockHolder, takePidLock } from './pid-lock.js'
import { isAlive } from './process-alive.js'

export const WATCH_FILE = 'watching.pid'
const WATCH_POLL_MS = 1_000
export const RESTART_BURST = 5
export const RESTART_WINDOW_MS = 300_000

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** Restarts allowed: at most `burst` within any `windowMs`. */
export class RestartBudget {
  private readonly times: number[] = []

  constructor (private readonly burst = RESTART_BURST, private readonly windowMs = RESTART_WINDOW_MS) {}

  /** Spends one restart at `now`; false when the burst is spent. */
  take (now: number): boolean {
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift()
    if (this.times.length >= this.burst) return false
    this.times.push(now)
    return true
  }
}

export interface NodeWatch {
  profile: string
  /** Starts the node again (core/cli/background-node.ts's ensureNodeRunning). */
  restart: () => Promise<void>
  log: (line: string) => void
  /** The node keeps crashing and is left stopped: say so on the desktop (nobody reads the log by chance). */
  gaveUp?: () => Promise<void>
  /** `causette stop` came while a restart was under way: stop the node that restart started (stop-node.ts). */
  stopNode?: () => Promise<unknown>
  pollMs?: number
  now?: () => number
}

/** Why watching ended: `causette stop`, too many crashes, or another watcher of the profile. */
export type WatchEnd = 'stopped' | 'gave-up' | 'watched-elsewhere'

export async function watchNode ({ profile, restart, log, gaveUp, stopNode, pollMs = WATCH_POLL_MS, now = Date.now }: NodeWatch): Promise<WatchEnd> {
  const lock = await takePidLock(join(profile, WATCH_FILE))
  if (lock === undefined) return 'watched-elsewhere'
  const budget = new RestartBudget()
  try {
    for (;;) {
      await sleep(pollMs)
      if (!await lock.held()) return 'stopped'
      const crashed = await crashedNode(profile)
      if (crashed === undefined) continue
      if (!budget.take(now())) {
        log(`the node crashed ${RESTART_BURST} times within ${RESTART_WINDOW_MS / 60_000} minutes: not starting it again (see the lines above; \`causette start\` shows why it stops)`)
        await gaveUp?.().catch(() => {})
        return 'gave-up'
      }
      log(`the node (process ${crashed}) ended without \`causette stop\`: starting it again`)
      try {
        await restart()
        log('the node runs again')
      } catch (error) {
        log(`could not start the node again: ${(error as Error).message}`)
      }
      // A start takes seconds: `causette stop` may have come meanwhile, and found no node yet to stop.
      if (!await lock.held()) {
        await stopNode?.()
        return 'stopped'
      }
    }
  } finally {
    await lock.release()
  }
}

/** The pid of a node that crashed: its api.json, which a node stopping by itself removes, names a process that is gone. */
export async function crashedNode (profile: string): Promise<number | undefined> {
  const file = await readApiFile(profile).catch(() => undefined)
  return file !== undefined && !isAlive(file.pid) ? file.pid : undefined
}

/**
 * What `causette stop` does first: takes the watcher's file away and waits until the watcher has
 * ended, so it cannot start again the node being stopped. False when no watcher ran.
 */
export async function stopWatching (profile: string, deadlineMs = 10_000): Promise<boolean> {
  const path = join(profile, WATCH_FILE)
  const pid = await lockHolder(path)
  if (pid === undefined) return false
  await rm(path, { force: true })
  const giveUpAt = Date.now() + deadlineMs
  while (isAlive(pid) && Date.now() < giveUpAt) await sleep(100)
  return true
}

/** A watcher's line in the profile's causette.log, where the node it starts writes too (the launcher has no console). */
export async function logToProfile (profile: string, line: string): Promise<void> {
  await appendFile(join(profile, BACKGROUND_LOG_FILE), `${new Date().toISOString()} causette watch: ${line}\n`, { mode: 0o600 })
}

/** What the desktop shows when the watcher gives up. */
export const GAVE_UP_NOTE = {
  title: 'causette stopped',
  body: 'It stopped several times in a row and was not started again: messages wait with your colleagues. Open causette to start it; causette.log in your profile says what went wrong.',
  urgent: false
}
