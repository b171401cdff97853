// Rolling back a trial: claim it (so a late confirmation cannot also win), put `.previous` back in
// place, say why in the update log, then drop the claim. Each step can be repeated, so a start
// that finds a claim left by a process that died midway finishes the same rollback.
import { restorePrevious } from './swap-executable.js'
import type { SwapPaths } from './swap-paths.js'
import { claimTrialForRollback, finishRollbackClaim, readRollbackClaim } from './trial.js'
import { appendUpdateLog } from './update-log.js'

export interface RollbackResult {
  /** False when there was no trial to roll back (none, or it was confirmed first). */
  rolledBack: boolean
  /** True when the executable file changed: whoever runs the rolled-back version must restart. */
  restored: boolean
}

export async function rollBack (paths: SwapPaths, reason: string): Promise<RollbackResult> {
  if (!await claimTrialForRollback(paths.home)) return { rolledBack: false, restored: false }
  return await finishRollback(paths, reason)
}

/** Completes a claimed rollback; with no claim pending it changes nothing. */
export async function finishRollback (paths: SwapPaths, reason: string): Promise<RollbackResult> {
  const claim = await readRollbackClaim(paths.home)
  if (claim === undefined) return { rolledBack: false, restored: false }
  const restored = await restorePrevious(paths.executable) === 'restored'
  await appendUpdateLog(paths.home, { event: 'rolled-back', from: claim.from, to: claim.to, reason })
  await finishRollbackClaim(paths.home)
  return { rolledBack: true, restored }
}
