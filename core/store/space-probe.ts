// Whether the file system under the profile can take writes again after a storage fault: enough
// free space for LevelDB to turn its write-ahead log into a table when it reopens, and a file that
// can be created, written, synced and removed (a full disk or exhausted file handles both fail here).
import { readdir, rm, stat, statfs, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Room left beyond the log's own size: the table it becomes, the manifest, a fresh log. */
const MARGIN_BYTES = 1024 * 1024
const PROBE_BYTES = 64 * 1024

export async function canWriteAgain (dbDir: string, probeDir: string): Promise<boolean> {
  try {
    const fs = await statfs(probeDir)
    if (fs.bavail * fs.bsize < await logBytes(dbDir) + MARGIN_BYTES) return false
    const probe = join(probeDir, '.write-probe')
    try {
      await writeFile(probe, Buffer.alloc(PROBE_BYTES), { flush: true })
    } finally {
      await rm(probe, { force: true })
    }
    return true
  } catch {
    return false
  }
}

async function logBytes (dbDir: string): Promise<number> {
  let total = 0
  for (const name of await readdir(dbDir)) {
    if (name.endsWith('.log')) total += (await stat(join(dbDir, name))).size
  }
  return total
}
