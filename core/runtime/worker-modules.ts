// How a worker thread loads sodium-native (the Ed25519 pool's workers): by its path when run from
// source. A single executable has no files to require: there, the worker runs the package's bundle
// packed inside, with the binding from the addon's checked file in the per-user cache
// (core/runtime/packed-addon.ts).
import { createRequire } from 'node:module'
import { ASSET, readTextAsset } from './assets.js'
import { isPackaged } from './build-info.js'
import { packagedAddonFile } from './packed-addon.js'

export type WorkerModule = { path: string } | { source: string, addonFile: string }

/** What the worker bundle requires in place of its native addon (scripts/package/bundle.ts). */
export const WORKER_ADDON_ID = 'causette:packed-addon'

export function sodiumNativeForWorkers (): WorkerModule {
  if (!isPackaged()) return { path: createRequire(import.meta.url).resolve('sodium-native') }
  const source = readTextAsset(ASSET.sodiumNativeWorker)
  if (source === undefined) throw new Error('this executable carries no sodium-native for workers')
  return { source, addonFile: packagedAddonFile('sodium') }
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
