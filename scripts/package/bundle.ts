// One ESM file with the whole CLI (the daemon is `causette start`, the same entry), for one target:
// build values fixed by `define`, classic-level's binding loaded by our loader of the packed
// addon, and `require` limited to Node's built-in modules (nothing is on disk to require).
import { build, type Plugin } from 'esbuild'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

export interface BuildValues {
  version: string
  target: string
  releaseKey?: string
  leveldbAddonSha256: string
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
    plugins: [packedLevelDbAddon()],
    logLevel: 'warning'
  })
}

/** libsodium's CommonJS build in one file, for the Argon2id worker (core/runtime/sodium-worker.ts). */
export async function bundleSodiumForWorkers (outfile: string): Promise<void> {
  await build({
    stdin: { contents: "module.exports = require('libsodium-wrappers-sumo')", resolveDir: ROOT, loader: 'js' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node26',
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning'
  })
}

/** classic-level's binding.js loads its addon from beside itself (node-gyp-build): ours comes from inside. */
function packedLevelDbAddon (): Plugin {
  return {
    name: 'packed-leveldb-addon',
    setup (builder) {
      builder.onLoad({ filter: /[\\/]classic-level[\\/]binding\.js$/ }, () => ({
        contents: "module.exports = require('./core/runtime/leveldb-addon.ts').loadPackagedLevelDbAddon()",
        resolveDir: ROOT,
        loader: 'js'
      }))
    }
  }
}
