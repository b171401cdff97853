// Starting this profile's node as a background process that outlives the one that started it (a
// double-click's console window closed, the Windows launcher gone): detached, no window, its output
// appended to a log in the profile. Resolves with the app's link once the node answers.
import { spawn } from 'node:child_process'
import { mkdir, open, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runningAppUrl } from './running-node.js'
import { startUnderWay } from './start-lock.js'
import type { SelfCommand } from './self-command.js'

export const BACKGROUND_LOG_FILE = 'causette.log'
const POLL_MS = 200

export interface BackgroundStart {
  /** The command that runs `causette start` for the profile. */
  command: SelfCommand
  profile: string
  env: NodeJS.ProcessEnv
  /** How long to wait for a node that starts but never answers (a first start derives keys, opens LevelDB). */
  deadlineMs?: number
}

export async function startInBackground ({ command, profile, env, deadlineMs = 120_000 }: BackgroundStart): Promise<string> {
  await mkdir(profile, { recursive: true, mode: 0o700 })
  const logPath = join(profile, BACKGROUND_LOG_FILE)
  const log = await open(logPath, 'a', 0o600)
  const logStart = (await log.stat()).size
  let exited: string | undefined
  try {
    const child = spawn(command.file, command.args, { detached: true, windowsHide: true, stdio: ['ignore', log.fd, log.fd], env })
    child.once('error', error => { exited = error.message })
    child.once('exit', (code, signal) => { exited = `it stopped (${signal ?? `exit code ${code}`})` })
    child.unref()
  } finally {
    await log.close()
  }
  const giveUpAt = Date.now() + deadlineMs
  for (;;) {
    const url = await runningAppUrl(profile)
    if (url !== undefined) return url
    if (exited !== undefined || Date.now() > giveUpAt) {
      throw new Error(`the node did not start: ${exited ?? 'it did not answer in time'}. It wrote in ${logPath}:\n${await logSince(logPath, logStart)}`)
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
}

/** Waits for the node another run is starting (see start-lock.ts); fails when that start ends without one. */
export async function waitForOtherStart (profile: string, deadlineMs = 120_000): Promise<string> {
  const giveUpAt = Date.now() + deadlineMs
  for (;;) {
    const url = await runningAppUrl(profile)
    if (url !== undefined) return url
    if (!await startUnderWay(profile) && await runningAppUrl(profile) === undefined) {
      throw new Error(`another start of causette on this profile ended without a running node: see ${join(profile, BACKGROUND_LOG_FILE)}`)
    }
    if (Date.now() > giveUpAt) throw new Error('another start of causette on this profile did not answer in time')
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
}

/** The first lines this start wrote: an error comes first, then (for a usage error) the usage. */
async function logSince (path: string, offset: number): Promise<string> {
  const text = (await readFile(path).catch(() => Buffer.alloc(0))).subarray(offset).toString('utf8')
  return text.trimEnd().split('\n').slice(0, 12).map(line => `  ${line}`).join('\n')
}
