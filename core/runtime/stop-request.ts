// A stop asked from outside (`causette stop`, core/desk/stop-node.ts), marked in the profile with
// the process it was asked of before that process is signalled. A stop is no verdict on a new
// version on trial: the old process watching the trial reads the mark when the new one exits
// unconfirmed, and neither rolls back nor starts anything (core/update/swap/trial-watch.ts); the
// next start reads it too, gives the trial its time again and removes the mark (start-hooks.ts).
// Here because both core/desk and core/update/swap may import core/runtime, and neither the other.
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export function stopRequestFile (home: string): string {
  return join(home, 'stop-request.json')
}

export async function markStopRequested (home: string, pid: number): Promise<void> {
  await writeFile(stopRequestFile(home), JSON.stringify({ pid }))
}

/** The process a stop was last asked of since the last start, if any; a mark that does not parse names none. */
export async function stopRequestedOf (home: string): Promise<number | undefined> {
  let text: string
  try {
    text = await readFile(stopRequestFile(home), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const pid: unknown = (JSON.parse(text) as { pid?: unknown }).pid
    return Number.isSafeInteger(pid) ? pid as number : undefined
  } catch {
    return undefined
  }
}

/** Reads the mark and removes it: each start answers for the stops asked before it, once. */
export async function takeStopRequest (home: string): Promise<number | undefined> {
  const pid = await stopRequestedOf(home)
  await rm(stopRequestFile(home), { force: true })
  return pid
}
