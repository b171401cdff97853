// The soak test's disturbances while traffic flows: daemons stopped (SIGTERM) or killed (SIGKILL)
// and started again on the same profile, and cables unplugged for a few seconds. Which node, what
// and how long come from a seeded generator, so a failing run's schedule can be replayed (the timing
// of the traffic around it cannot).
import { setTimeout as sleep } from 'node:timers/promises'

/** mulberry32: a tiny seeded generator, plenty for picking victims. */
export function seededRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface ChaosTarget {
  name: string
  /** Stops the daemon with `signal` and resolves once it has exited. */
  stop: (signal: 'SIGTERM' | 'SIGKILL') => Promise<void>
  /** Starts it again on the same profile; resolves once it runs. */
  start: () => Promise<void>
  setLink: (up: boolean) => Promise<void>
}

export interface ChaosCounts {
  restarts: number
  sigkills: number
  sigterms: number
  linkCuts: number
}

export interface ChaosPlan {
  targets: ChaosTarget[]
  random: () => number
  /** Disturbances start until this resolves (the traffic is done, or its planned time is over); then the last ones heal. */
  until: Promise<void>
  /** At most this many nodes disturbed at once. */
  maxDisturbed?: number
  /** Called with each action, for the test's log. */
  log?: (line: string) => void
}

const between = (random: () => number, min: number, max: number): number => min + Math.floor(random() * (max - min))

type Disturbance = 'restart' | 'cut'
/**
 * The first disturbances, one of each kind (restarts alternate SIGKILL and SIGTERM), so that every run
 * has all three, however few fit in it (restarts take long on a loaded machine); chance picks the rest.
 */
const OPENING: readonly Disturbance[] = ['restart', 'cut', 'restart']

/** Runs disturbances until `plan.until`, then waits until every node runs and is plugged in. */
export async function runChaos (plan: ChaosPlan): Promise<ChaosCounts> {
  const { targets, random, maxDisturbed = 2, log = () => {} } = plan
  const counts: ChaosCounts = { restarts: 0, sigkills: 0, sigterms: 0, linkCuts: 0 }
  const disturbed = new Set<ChaosTarget>()
  const running: Array<Promise<void>> = []
  const failures: Error[] = []
  let done = false
  let restarts = 0
  let picks = 0
  void plan.until.then(() => { done = true })
  // Times in the log count from here, which is when the traffic starts too.
  const startedAt = Date.now()
  const at = (): string => `${((Date.now() - startedAt) / 1000).toFixed(1)}s`

  const restart = async (target: ChaosTarget): Promise<void> => {
    // Alternating, so that any run with two restarts has both kinds.
    const signal = restarts++ % 2 === 0 ? 'SIGKILL' : 'SIGTERM'
    const downMs = between(random, 200, 5_000)
    log(`${at()} ${signal} ${target.name}, down for ${downMs} ms`)
    await target.stop(signal)
    counts.restarts++
    if (signal === 'SIGKILL') counts.sigkills++
    else counts.sigterms++
    await sleep(downMs)
    await target.start()
    log(`${at()} ${target.name} runs again`)
  }
  const cut = async (target: ChaosTarget): Promise<void> => {
    const downMs = between(random, 1_000, 6_000)
    log(`${at()} cable of ${target.name} unplugged for ${downMs} ms`)
    await target.setLink(false)
    counts.linkCuts++
    await sleep(downMs)
    await target.setLink(true)
  }

  while (!done) {
    await Promise.race([sleep(between(random, 500, 2_500)), plan.until])
    const calm = targets.filter(target => !disturbed.has(target))
    if (done || disturbed.size >= maxDisturbed || calm.length === 0) continue
    const target = calm[Math.floor(random() * calm.length)]!
    disturbed.add(target)
    const kind: Disturbance = OPENING[picks++] ?? (random() < 0.6 ? 'restart' : 'cut')
    const action = kind === 'restart' ? restart(target) : cut(target)
    running.push(action.catch((error: Error) => { failures.push(error) }).finally(() => { disturbed.delete(target) }))
  }
  await Promise.all(running)
  if (failures.length > 0) throw failures[0]!
  return counts
}
