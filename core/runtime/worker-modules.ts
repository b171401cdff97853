// How a worker thread loads a package of ours (libsodium's WebAssembly build, sodium-native): by
// its path when run from source. A single executable has no files to require: there, the worker
// runs the package's bundle packed inside, and a native addon's binding comes from its checked file
// in the per-user cache (core/runtime/packed-addon.ts).
import { createRequire } from 'node:module'
import { ASSET, readTextAsset } from './assets.js'
import { isPackaged, type PackedAddon } from './build-info.js'
import { packagedAddonFile } from './packed-addon.js'

export type WorkerPackage = 'libsodium-wrappers-sumo' | 'sodium-native'

export type WorkerModule = { path: string } | { source: string, addonFile?: string }

const PACKED: Record<WorkerPackage, { asset: string, addon?: PackedAddon }> = {
  'libsodium-wrappers-sumo': { asset: ASSET.sodiumWorker },
  'sodium-native': { asset: ASSET.sodiumNativeWorker, addon: 'sodium' }
}

/** What a worker bundle requires in place of its native addon (scripts/package/bundle.ts). */
export const WORKER_ADDON_ID = 'causette:packed-addon'

export function workerModule (name: WorkerPackage): WorkerModule {
  if (!isPackaged()) return { path: createRequire(import.meta.url).resolve(name) }
  const packed = PACKED[name]
  const source = readTextAsset(packed.asset)
  if (source === undefined) throw new Error(`this executable carries no ${name} for workers`)
  return packed.addon === undefined ? { source } : { source, addonFile: packagedAddonFile(packed.addon) }
}

/** Worker-side code (a script string) that defines `loadModule(spec)` for a WorkerModule. */
export const LOAD_MODULE_IN_WORKER = `
function loadModule (spec) {
  if (spec.path !== undefined) return require(spec.path)
  const requireInBundle = (id) => {
    if (id !== '${WORKER_ADDON_ID}') return require(id)
    const addon = { exports: {} }
    process.dlopen(addon, spec.addonFile)
    return addon.exports
  }
  const module = { exports: {} }
  new Function('module', 'exports', 'require', spec.source)(module, module.exports, requireInBundle)
  return module.exports
}`
