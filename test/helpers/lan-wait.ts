// Bounded waiting for something to become true: tests wait for events, never for a fixed time.
import { setTimeout as sleep } from 'node:timers/promises'
import { underLoad } from './deadline.js'

export async function eventually<T> (
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 15_000, pollMs = 20 }: { timeoutMs?: number, pollMs?: number } = {}
): Promise<T> {
  // timeoutMs is what the wait takes on a quiet machine; see underLoad.
  const deadlineMs = underLoad(timeoutMs)
  const deadline = Date.now() + deadlineMs
  for (;;) {
    const result = await check()
    if (result !== undefined && result !== false) return result
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`)
    await sleep(pollMs)
  }
}
