// The LevelDB addon of a single executable: classic-level's prebuilt binding for this platform is
// packed inside, and process.dlopen needs a file. It is written once to the per-user cache, named
// by its SHA-256, and the file's SHA-256 is checked before every load, so a changed file is
// rewritten, never loaded. The packager's bundle calls this in place of node-gyp-build.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ASSET, readAsset } from './assets.js'
import { LEVELDB_ADDON_SHA256 } from './build-info.js'
import { userCacheDir } from './cache-dir.js'

export interface AddonInit {
  bytes: Uint8Array
  /** Hex SHA-256 the bytes must have. */
  sha256: string
  cacheDir: string
}

/** The binding of the addon packed in this executable. */
export function loadPackagedLevelDbAddon (): unknown {
  const bytes = readAsset(ASSET.leveldbAddon)
  if (bytes === undefined || LEVELDB_ADDON_SHA256 === undefined) throw new Error('this executable carries no LevelDB addon')
  return loadAddon({ bytes, sha256: LEVELDB_ADDON_SHA256, cacheDir: userCacheDir() })
}

export function loadAddon ({ bytes, sha256, cacheDir }: AddonInit): unknown {
  if (sha256hex(bytes) !== sha256) throw new Error('the packed LevelDB addon does not match its SHA-256')
  const file = join(cacheDir, `leveldb-${sha256}.node`)
  if (!existsSync(file) || sha256hex(readFileSync(file)) !== sha256) writeOnce(file, bytes)
  // Read back: what is loaded is what was checked (the window left is the same user's own).
  if (sha256hex(readFileSync(file)) !== sha256) throw new Error(`${file} does not match its SHA-256`)
  const module = { exports: {} }
  process.dlopen(module, file)
  return module.exports
}

/** Written beside, then renamed: another process of ours never sees half a file. */
function writeOnce (file: string, bytes: Uint8Array): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 })
  const partial = `${file}.${process.pid}.partial`
  writeFileSync(partial, bytes, { mode: 0o700 })
  renameSync(partial, file)
}

function sha256hex (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
