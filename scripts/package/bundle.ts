// One ESM file with the whole CLI (the daemon is `causette start`, the same entry), for one target:
// build values fixed by `define`, the native bindings (classic-level's LevelDB, sodium-native) loaded
// by our loader of the packed addons, and `require` limited to Node's built-in modules (nothing is
// on disk to require).
import { build, type Plugin } from 'esbuild'
import { join } from 'node:path'
import type { PackedAddon } from '../../core/runtime/build-info.js'
import { WORKER_ADDON_ID } from '../../core/runtime/worker-modules.js'

const ROOT = join(import.meta.dirname, '..', '..')

export interface BuildValues {
  version: string
  target: string
  releaseKey?: string
  addonSha256: Record<PackedAddon, string>
}

/** esbuild's CommonJS shims call `require`; inside the executable only built-ins exist. */
const BUILTIN_REQUIRE_BANNER = `const require = (id) => {
  const builtin = process.getBuiltinModule(id)
  if (builtin === undefined) throw new Error(\`\${id} is not inside this executable\`)
  return builtin
};`

export async function bundleCli (values: BuildValues, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'core', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node26',
    minify: true,
    keepNames: true,
    legalComments: 'eof',
    banner: { js: BUILTIN_REQUIRE_BANNER },
    define: { __CAUSETTE_BUILD__: JSON.stringify(values) },
    plugins: [packedAddons(name => `module.exports = require('./core/runtime/packed-addon.ts').loadPackagedAddon('${name}')`)],
    logLevel: 'warning'
  })
}

/**
 * sodium-native in one CommonJS file, for the Ed25519 pool's worker threads
 * (core/runtime/worker-modules.ts), which give its binding from the cached addon file.
 */
export async function bundleSodiumNativeForWorkers (outfile: string): Promise<void> {
  await build({
    stdin: { contents: "module.exports = require('sodium-native')", resolveDir: ROOT, loader: 'js' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node26',
    minify: true,
    legalComments: 'eof',
    external: [WORKER_ADDON_ID],
    plugins: [packedAddons(() => `module.exports = require('${WORKER_ADDON_ID}')`)],
    logLevel: 'warning'
  })
}

/** The packages' binding.js files load their addon from beside themselves: ours comes from inside. */
const BINDINGS: Record<PackedAddon, RegExp> = {
  leveldb: /[\\/]classic-level[\\/]binding\.js$/,
  sodium: /[\\/]sodium-native[\\/]binding\.js$/
}

function packedAddons (loader: (name: PackedAddon) => string): Plugin {
  return {
    name: 'packed-addons',
    setup (builder) {
      for (const [name, filter] of Object.entries(BINDINGS) as Array<[PackedAddon, RegExp]>) {
        builder.onLoad({ filter }, () => ({ contents: loader(name), resolveDir: ROOT, loader: 'js' }))
      }
    }
  }
}
