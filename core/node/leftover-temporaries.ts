// At start, the temporary files that a SIGKILL or a power cut left in the profile mid-write
// (core/profile/files.ts writeSecretFile: settings, presence, keys, the API files, photos, the
// update's pause and trial files) are removed; only a dead process's, since `causette token rotate`
// or an update's old process may write beside the node. Never fatal: a folder it cannot clean is
// logged and the node starts.
import { join } from 'node:path'
import { isAlive } from '../desk/process-alive.js'
import { removeLeftoverTemporaries } from '../profile/files.js'
import { PEER_PHOTOS_DIR } from '../profile/peer-photos.js'

/** The folders writeSecretFile writes in: the profile, colleagues' photos, the update's files. */
const FOLDERS = ['.', PEER_PHOTOS_DIR, 'updates']

export async function removeProfileLeftovers (home: string, log: (line: string) => void): Promise<void> {
  for (const folder of FOLDERS) {
    const dir = join(home, folder)
    try {
      const removed = await removeLeftoverTemporaries(dir, isAlive)
      if (removed.length > 0) log(`causette: removed ${removed.length} temporary file(s) an interrupted save left in ${dir}`)
    } catch (error) {
      log(`causette: could not remove the temporary files an interrupted save left in ${dir}: ${(error as Error).message}`)
    }
  }
}
