// When code was last changed and when its build was made, by file times: a build older than its
// sources would test old code (built-cli.ts for dist/, browser-daemons.ts for ui/dist).
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/** The newest file under `folders` (relative to `root`), skipping the folders in `skip`, with its modification time. */
export function newestFile (root: string, folders: string[], { skip = [], suffix = '' }: { skip?: string[], suffix?: string } = {}): { file: string, time: number } {
  let newest = { file: '', time: 0 }
  for (const folder of folders) {
    for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(suffix)) continue
      const file = relative(root, join(entry.parentPath, entry.name))
      if (skip.some(skipped => file.startsWith(`${skipped}/`))) continue
      const time = statSync(join(root, file)).mtimeMs
      if (time > newest.time) newest = { file, time }
    }
  }
  return newest
}

/** The oldest file under `folder`: when its build began writing at the latest; undefined if it has none or is missing. */
export function oldestFileTime (folder: string): number | undefined {
  let oldest: number | undefined
  try {
    for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      const time = statSync(join(entry.parentPath, entry.name)).mtimeMs
      if (oldest === undefined || time < oldest) oldest = time
    }
  } catch { return undefined }
  return oldest
}
