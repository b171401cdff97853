// What this process is. Stand-in until h/package's build-info.ts (which reads the packager's
// `__CAUSETTE_BUILD__` define) is merged: the same exports, with the values of a run from source.
import { targetOf } from './targets.js'

export const VERSION: string = '0.1.0'

/** linux-x64, linux-arm64, win-x64, darwin-arm64, darwin-x64, or `<platform>-<arch>` elsewhere. */
export const TARGET: string = targetOf(process.platform, process.arch)

/** The release key the packager fixed with --release-key, else undefined (the production key applies). */
export const RELEASE_KEY_OVERRIDE: string | undefined = undefined
