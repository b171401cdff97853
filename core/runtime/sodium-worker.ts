// How a worker thread loads libsodium's CommonJS build: by its path when run from source, from the
// packed source inside a single executable (which has no files to require).
import { createRequire } from 'node:module'
import { ASSET, readTextAsset } from './assets.js'
import { isPackaged } from './build-info.js'

export type SodiumWorkerSource = { path: string } | { source: string }

export function sodiumWorkerSource (): SodiumWorkerSource {
  if (!isPackaged()) return { path: createRequire(import.meta.url).resolve('libsodium-wrappers-sumo') }
  const source = readTextAsset(ASSET.sodiumWorker)
  if (source === undefined) throw new Error('this executable carries no libsodium for workers')
  return { source }
}

/** Worker-side code (a script string) that defines `loadSodium(spec)` for a SodiumWorkerSource. */
export const LOAD_SODIUM_IN_WORKER = `
function loadSodium (spec) {
  if (spec.path !== undefined) return require(spec.path)
  const module = { exports: {} }
  new Function('module', 'exports', 'require', spec.source)(module, module.exports, require)
  return module.exports
}`
