// Makes one single executable application with `node --build-sea`: the bundle and the assets put
// into a copy of the target's Node binary. The running node must be NODE_VERSION, like the binary.
import { execFileSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ASSET } from '../../core/runtime/assets.js'
import type { PackedAddon } from '../../core/runtime/build-info.js'
import { NODE_VERSION } from './targets.js'

export interface SeaInit {
  bundle: string
  targetNode: string
  output: string
  addons: Record<PackedAddon, string>
  /** sodium-native in one CommonJS file, for worker threads (core/runtime/worker-modules.ts). */
  workerBundle: string
  uiDist: string
  workDir: string
}

export function checkBuilderNode (): void {
  if (process.version !== `v${NODE_VERSION}`) {
    throw new Error(`node --build-sea must run on Node ${NODE_VERSION} like the target binaries, not ${process.version} (run it through npm run package)`)
  }
}

export function buildSea (init: SeaInit): void {
  const config = {
    // Relative to workDir, where --build-sea runs: the blob keeps this path, and an absolute one
    // would make two builds in two folders differ (and tell where the release was built).
    main: relative(init.workDir, init.bundle),
    mainFormat: 'module',
    executable: init.targetNode,
    output: init.output,
    disableExperimentalSEAWarning: true,
    // Both are made for the building machine's own platform: off, so every target is made alike.
    useCodeCache: false,
    useSnapshot: false,
    assets: {
      [ASSET.leveldbAddon]: init.addons.leveldb,
      [ASSET.sodiumAddon]: init.addons.sodium,
      [ASSET.sodiumNativeWorker]: init.workerBundle,
      ...appAssets(init.uiDist)
    }
  }
  const configFile = join(init.workDir, 'sea-config.json')
  writeFileSync(configFile, JSON.stringify(config, null, 2))
  execFileSync(process.execPath, ['--build-sea', configFile], { cwd: init.workDir, stdio: ['ignore', 'ignore', 'inherit'] })
}

/** Every file of ui/dist as `app/<path>`, which core/api/ui-assets.ts serves. */
function appAssets (uiDist: string): Record<string, string> {
  const assets: Record<string, string> = {}
  for (const entry of readdirSync(uiDist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    assets[`${ASSET.appPrefix}${relative(uiDist, path).split('\\').join('/')}`] = path
  }
  return assets
}
