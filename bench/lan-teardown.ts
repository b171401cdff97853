// The LAN helpers' teardown (test/helpers/netns.ts) for a part of the bench that makes network
// namespaces: run when the part ends rather than when a test does, and on Ctrl-C (SIGINT) or SIGTERM,
// so that no namespace, process or temporary file outlives the bench.
import type { Teardown } from '../test/helpers/netns.js'

export interface BenchTeardown extends Teardown {
  /** Runs every step, the last registered first, once; then ends the signal watch. */
  run: () => Promise<void>
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const

export function benchTeardown (): BenchTeardown {
  const steps: Array<() => Promise<void>> = []
  let running: Promise<void> | undefined
  const run = async (): Promise<void> => {
    running ??= (async () => {
      for (const step of steps.reverse()) await step().catch(() => {})
      for (const signal of SIGNALS) process.off(signal, onSignal)
    })()
    await running
  }
  // A signal runs the steps (or waits for those under way), then takes its default course (the
  // process ends): its handler is gone by then.
  const onSignal = (signal: NodeJS.Signals): void => { void run().finally(() => { process.kill(process.pid, signal) }) }
  for (const signal of SIGNALS) process.once(signal, onSignal)
  return { after: (step) => { steps.push(step) }, run }
}
