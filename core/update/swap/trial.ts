// The trial of a new version: a small file in the profile, written before the restart, counted at
// each start of the new version and removed once it is healthy. Confirming removes it and a
// rollback claims it by renaming it; both are one atomic step, so exactly one of them wins.
// A profile with a passphrase nobody has typed yet has a trial in two stages: the new version
// answering locked renames the trial to the open stage (which ends the deadline, and wins over a
// rollback's claim the same way), and its first unlock confirms that or claims it for a rollback.
// Each open in that stage is marked while under way, so a process that dies opening is rolled back too.
import { access, readFile, rename, rm } from 'node:fs/promises'
import { writeSecretFile } from '../../profile/files.js'
import { openingMarkFile, openStageFile, rollbackClaimFile, trialFile } from './swap-paths.js'

export interface Trial {
  from: string
  to: string
  /** Unix ms when the old version asked for the restart. */
  startedAt: number
  /** How many times the new version has started within this trial. */
  attempts: number
  /** How long the new version has, from startedAt, to confirm it is healthy. */
  trialMs: number
}

export const DEFAULT_TRIAL_MS = 60_000

export async function writeTrial (home: string, trial: Trial): Promise<void> {
  await writeSecretFile(trialFile(home), JSON.stringify(trial))
}

/** The pending trial, if any. A file that does not parse is a trial that is due (see parseTrial). */
export async function readTrial (home: string): Promise<Trial | undefined> {
  return await readTrialAt(trialFile(home))
}

/** True while a trial is under way in any stage, or a rollback of one was left half done. */
export async function trialPending (home: string): Promise<boolean> {
  for (const file of [trialFile(home), openStageFile(home), rollbackClaimFile(home)]) {
    if (await settled(access(file))) return true
  }
  return false
}

/** The trial in its open stage (the new version ran and served locked), if any. */
export async function readOpenStage (home: string): Promise<Trial | undefined> {
  return await readTrialAt(openStageFile(home))
}

/** The trial a rollback claimed and has not finished (the process died midway), if any. */
export async function readRollbackClaim (home: string): Promise<Trial | undefined> {
  return await readTrialAt(rollbackClaimFile(home))
}

/** What a trial file that does not parse counts as (parseTrial). */
const DAMAGED_ATTEMPTS = Number.MAX_SAFE_INTEGER

/** A trial file someone else changed: it is due, whatever happened since (a stop asked gives it no more time). */
export function trialDamaged (trial: Trial): boolean {
  return trial.attempts === DAMAGED_ATTEMPTS
}

export function trialDeadline (trial: Trial): number {
  return trial.startedAt + trial.trialMs
}

/** Ends the trial as healthy. False when there was none, or a rollback claimed it first. */
export async function confirmTrial (home: string): Promise<boolean> {
  return await settled(rm(trialFile(home)))
}

/** Takes the trial for a rollback. False when there was none, or it was confirmed first. */
export async function claimTrialForRollback (home: string): Promise<boolean> {
  return await settled(rename(trialFile(home), rollbackClaimFile(home)))
}

/** The new version runs and serves, locked: its trial waits for the first unlock. False when a rollback claimed it first. */
export async function passRunStage (home: string): Promise<boolean> {
  return await settled(rename(trialFile(home), openStageFile(home)))
}

/** Ends the open stage as healthy: the new version opened the profile. False when there was none. */
export async function confirmOpenStage (home: string): Promise<boolean> {
  return await settled(rm(openStageFile(home)))
}

/** Takes the open stage for a rollback: the new version could not open the profile. False when there was none. */
export async function claimOpenStageForRollback (home: string): Promise<boolean> {
  return await settled(rename(openStageFile(home), rollbackClaimFile(home)))
}

/** An open of the profile in the open stage begins (this process's id, for whoever reads the profile). */
export async function markOpening (home: string): Promise<void> {
  await writeSecretFile(openingMarkFile(home), JSON.stringify({ pid: process.pid }))
}

/** True when an open was begun and never ended: its process died, was killed, or hung and was stopped. */
export async function openingMarked (home: string): Promise<boolean> {
  return await settled(access(openingMarkFile(home)))
}

/** The open ended (or the mark is stale: the open stage it belonged to is over). */
export async function clearOpeningMark (home: string): Promise<void> {
  await rm(openingMarkFile(home), { force: true })
}

export async function finishRollbackClaim (home: string): Promise<void> {
  await rm(rollbackClaimFile(home), { force: true })
}

async function readTrialAt (path: string): Promise<Trial | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return parseTrial(text)
}

/**
 * Written atomically by us, so a damaged file was changed by someone else: it becomes a trial whose
 * time is up, and the start rolls back to the version that wrote it rather than trust the one it names.
 */
function parseTrial (text: string): Trial {
  const due: Trial = { from: 'unknown', to: 'unknown', startedAt: 0, attempts: DAMAGED_ATTEMPTS, trialMs: 0 }
  let value: unknown
  try { value = JSON.parse(text) } catch { return due }
  const trial = value as Partial<Trial>
  const wellFormed = typeof trial === 'object' && trial !== null &&
    typeof trial.from === 'string' && typeof trial.to === 'string' &&
    Number.isSafeInteger(trial.startedAt) && Number.isSafeInteger(trial.attempts) && Number.isSafeInteger(trial.trialMs)
  return wellFormed ? trial as Trial : due
}

/** True when the file operation happened, false when its file was not there. */
async function settled (operation: Promise<void>): Promise<boolean> {
  try {
    await operation
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}
