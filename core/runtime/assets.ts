// The files packed inside the single executable (node:sea assets). Outside one, there are none.
import { getAsset, getAssetKeys } from 'node:sea'
import { isPackaged } from './build-info.js'

/** Asset names, as the packager gives them (scripts/package/sea.ts). */
export const ASSET = {
  leveldbAddon: 'leveldb.node',
  sodiumAddon: 'sodium-native.node',
  sodiumNativeWorker: 'sodium-native.cjs',
  appPrefix: 'app/'
} as const

/** The bytes of an asset, or undefined when there is no such asset (or no executable around us). */
export function readAsset (name: string): Uint8Array | undefined {
  if (!isPackaged() || !getAssetKeys().includes(name)) return undefined
  return new Uint8Array(getAsset(name))
}

export function readTextAsset (name: string): string | undefined {
  if (!isPackaged() || !getAssetKeys().includes(name)) return undefined
  return getAsset(name, 'utf8')
}
