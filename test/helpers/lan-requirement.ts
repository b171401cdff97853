// LAN tests need root and iproute2. Without them a developer's run skips with the reason; under
// CI=true a missing prerequisite is a failure, never a silent skip.
import { lanUnavailableReason } from './netns.js'
import type { TestContext } from 'node:test'

export function runningUnderCi (): boolean {
  const ci = process.env.CI
  return ci != null && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false'
}

/** True when the test may go on; otherwise skips it (locally) or throws (CI). */
export async function lanAvailable (t: TestContext): Promise<boolean> {
  const missing = await lanUnavailableReason()
  if (missing == null) return true
  if (runningUnderCi()) throw new Error(`LAN tests need ${missing}, and CI must run them`)
  t.skip(`LAN test skipped: needs ${missing} (run as root to include it)`)
  return false
}
