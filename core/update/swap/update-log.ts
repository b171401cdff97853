// What the swap did and why, one JSON line per event in the profile's update.log. The journal is
// not open when a start rolls back (it is the database the new version may not be able to open),
// and a rolled-back version must be findable by the installer so it is not installed again.
import { appendFile, readFile } from 'node:fs/promises'
import { updateLogFile } from './swap-paths.js'

export type UpdateEvent =
  | { event: 'installed', from: string, to: string }
  | { event: 'confirmed', from: string, to: string }
  | { event: 'rolled-back', from: string, to: string, reason: string }

export type UpdateLogLine = UpdateEvent & { time: number }

export async function appendUpdateLog (home: string, event: UpdateEvent, time: number = Date.now()): Promise<void> {
  await appendFile(updateLogFile(home), `${JSON.stringify({ time, ...event })}\n`, { mode: 0o600 })
}

/** The log's lines; lines that do not parse are skipped (the log is informative, not trusted). */
export async function readUpdateLog (home: string): Promise<UpdateLogLine[]> {
  let text: string
  try {
    text = await readFile(updateLogFile(home), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return text.split('\n').flatMap(line => {
    try { return [JSON.parse(line) as UpdateLogLine] } catch { return [] }
  })
}

export async function wasRolledBack (home: string, version: string): Promise<boolean> {
  return (await readUpdateLog(home)).some(line => line.event === 'rolled-back' && line.to === version)
}
