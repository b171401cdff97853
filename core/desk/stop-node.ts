// Stopping this profile's node from outside: the one a double-click started in the background has no
// window to close. Only a node whose API answers with our token is signalled, so a stale api.json
// never makes us kill whatever process took its pid since.
import { readApiFile } from '../api/api-file.js'
import { markStopRequested } from '../runtime/stop-request.js'
import { stopWatching } from './node-watch.js'
import { isAlive } from './process-alive.js'
import { runningAppUrl } from './running-node.js'

const POLL_MS = 200

/** SIGTERM to the running node (on Windows Node ends the process at once), then waits until it is gone; false when none ran. */
export async function stopRunningNode (profile: string, deadlineMs = 60_000): Promise<boolean> {
  // Asked first: a watcher in the middle of starting the node again stops it itself once told to
  // end, and the node it stopped did run.
  const ranBefore = await runningAppUrl(profile) !== undefined
  // Its watcher first (Windows, node-watch.ts): it would start the node again.
  await stopWatching(profile)
  const file = await readApiFile(profile)
  if (file === undefined || await runningAppUrl(profile) === undefined) return ranBefore
  // Marked first: an update's old process watching this node's trial takes its exit for a stop, not a failure.
  await markStopRequested(profile, file.pid)
  process.kill(file.pid, 'SIGTERM')
  const giveUpAt = Date.now() + deadlineMs
  while (isAlive(file.pid)) {
    if (Date.now() > giveUpAt) throw new Error(`the node (process ${file.pid}) did not stop within ${deadlineMs / 1000} s`)
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
  return true
}
