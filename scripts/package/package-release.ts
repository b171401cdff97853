// Builds the executables of a release: per target, the checked Node binary (for Windows, a copy with
// causette's name and icon), the bundle with the target's build values, and `node --build-sea`; if
// asked, its zip to download; then SHA256SUMS and manifest.json.
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Target } from '../../core/runtime/targets.js'
import { bundleCli, bundleSodiumNativeForWorkers } from './bundle.js'
import { nodeBinary, sha256File } from './node-binaries.js'
import { writeDownload } from './download.js'
import { writeReleaseFiles, type Manifest, type ReleaseFile } from './release-files.js'
import { buildSea, checkBuilderNode } from './sea.js'
import { releaseFileName, TARGET_BUILDS } from './targets.js'
import { withCausetteResources } from './windows-resources.js'

export interface ReleaseInit {
  root: string
  targets: Target[]
  version: string
  releaseKey?: string
  outDir: string
  /** Also each executable zipped, as people download it (the CLI does; tests that only run the executable need not). */
  downloads?: boolean
  /** Where fetched Node tarballs are kept between runs; default <root>/.cache/node-binaries. */
  cacheDir?: string
  log?: (line: string) => void
}

export async function packageRelease ({ root, targets, version, releaseKey, outDir, downloads = false, cacheDir = join(root, '.cache', 'node-binaries'), log = () => {} }: ReleaseInit): Promise<Manifest> {
  checkBuilderNode()
  const uiDist = join(root, 'ui', 'dist')
  if (!existsSync(join(uiDist, 'index.html'))) throw new Error('ui/dist has no index.html: run npm run build:ui first')
  const workDir = join(outDir, '.work')
  mkdirSync(workDir, { recursive: true })
  const workerBundle = join(workDir, 'sodium-native.cjs')
  await bundleSodiumNativeForWorkers(workerBundle)
  const files: ReleaseFile[] = []
  for (const target of targets) {
    const build = TARGET_BUILDS[target]
    log(`${target}: Node binary from ${build.nodePackage}`)
    const checkedNode = nodeBinary(build, cacheDir, workDir)
    // Before the injection, so that the application's blob is never rewritten.
    const targetNode = target === 'win-x64' ? withCausetteResources({ root, version, nodeExe: checkedNode, output: join(workDir, 'node-as-causette.exe') }) : checkedNode
    const addons = { leveldb: join(root, 'node_modules', build.addons.leveldb), sodium: join(root, 'node_modules', build.addons.sodium) }
    const bundle = join(workDir, `causette-${target}.mjs`)
    await bundleCli({ version, target, ...(releaseKey === undefined ? {} : { releaseKey }), addonSha256: { leveldb: sha256File(addons.leveldb), sodium: sha256File(addons.sodium) } }, bundle)
    const output = join(outDir, releaseFileName(version, target))
    log(`${target}: node --build-sea`)
    buildSea({ bundle, targetNode, output, addons, workerBundle, uiDist, workDir })
    if (downloads) log(`${target}: zip to download`)
    files.push({ target, path: output, ...(downloads ? { download: await writeDownload(output) } : {}) })
  }
  rmSync(workDir, { recursive: true, force: true })
  return writeReleaseFiles(outDir, version, files)
}

