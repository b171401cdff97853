// The native addons of a single executable (LevelDB, libsodium): each platform's prebuilt binding is
// packed inside, and process.dlopen needs a file. Each is written once to the per-user cache, named
// by its SHA-256, and the file's SHA-256 is checked before every load, so a changed file is
// rewritten, never loaded. The packager's bundle calls this in place of the packages' own loaders.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ASSET, readAsset } from './assets.js'
import { ADDON_SHA256, type PackedAddon } from './build-info.js'
import { userCacheDir } from './cache-dir.js'

export interface AddonInit {
  /** The cached file's name starts with it. */
  name: PackedAddon
  bytes: Uint8Array
  /** Hex SHA-256 the bytes must have. */
  sha256: string
  cacheDir: string
}

const ASSET_OF: Record<PackedAddon, string> = { leveldb: ASSET.leveldbAddon, sodium: ASSET.sodiumAddon }

/** The binding of an addon packed in this executable. */
export function loadPackagedAddon (name: PackedAddon): unknown {
  return dlopen(packagedAddonFile(name))
}

/** The checked file of an addon packed in this executable, for a worker thread to load. */
export function packagedAddonFile (name: PackedAddon): string {
  const bytes = readAsset(ASSET_OF[name])
  const sha256 = ADDON_SHA256?.[name]
  if (bytes === undefined || sha256 === undefined) throw new Error(`this executable carries no ${name} addon`)
  return checkedAddonFile({ name, bytes, sha256, cacheDir: userCacheDir() })
}

export function loadAddon (init: AddonInit): unknown {
  return dlopen(checkedAddonFile(init))
}

function checkedAddonFile ({ name, bytes, sha256, cacheDir }: AddonInit): string {
  if (sha256hex(bytes) !== sha256) throw new Error(`the packed ${name} addon does not match its SHA-256`)
  const file = join(cacheDir, `${name}-${sha256}.node`)
  if (fileMatches(file, sha256)) return file
  writeOnce(file, bytes)
  // Read back: what is loaded is what was checked (the window left is the same user's own).
  if (!fileMatches(file, sha256)) throw new Error(`${file} does not match its SHA-256`)
  return file
}

function fileMatches (file: string, sha256: string): boolean {
  return existsSync(file) && sha256hex(readFileSync(file)) === sha256
}

function dlopen (file: string): unknown {
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
