// What this process is: its version, the platform it was built for, whether it runs as a single
// executable, and the release key the packager fixed. The packager (scripts/package/) replaces
// `__CAUSETTE_BUILD__` with these values; run from source, the defaults below apply.
import { isSea } from 'node:sea'
import { targetOf } from './targets.js'

interface BuildValues {
  version: string
  target: string
  /** The note verifier key string given to `npm run package --release-key`, if any. */
  releaseKey?: string
  /** SHA-256 (hex) of each native addon inside the executable. */
  addonSha256?: Record<PackedAddon, string>
}

/** The native addons a single executable carries (core/runtime/packed-addon.ts). */
export type PackedAddon = 'leveldb' | 'sodium'

declare const __CAUSETTE_BUILD__: BuildValues | undefined

/** The version of the source tree; test/unit/runtime.test.ts keeps it equal to package.json's. */
const SOURCE_VERSION = '0.1.0'

const BUILD: BuildValues | undefined = typeof __CAUSETTE_BUILD__ === 'undefined' ? undefined : __CAUSETTE_BUILD__

export const VERSION: string = BUILD?.version ?? SOURCE_VERSION

/** linux-x64, linux-arm64, win-x64, darwin-arm64, darwin-x64, or `<platform>-<arch>` elsewhere. */
export const TARGET: string = BUILD?.target ?? targetOf(process.platform, process.arch)

/** The release key the packager fixed with --release-key, else undefined (the production key applies). */
export const RELEASE_KEY_OVERRIDE: string | undefined = BUILD?.releaseKey

/** The SHA-256 of each packed addon, as the packager recorded them; undefined when run from source. */
export const ADDON_SHA256: Record<PackedAddon, string> | undefined = BUILD?.addonSha256

/** True inside a single executable application made by `npm run package`. */
export function isPackaged (): boolean {
  return isSea()
}
