// What sits beside the executables in dist/release: SHA256SUMS (sha256sum's format, so
// `sha256sum -c SHA256SUMS` checks them, and their zips to download) and manifest.json.
import { statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Target } from '../../core/runtime/targets.js'
import { sha256File } from './node-binaries.js'
import { NODE_VERSION } from './targets.js'

export interface ReleaseFile { target: Target, path: string, download?: string }

export interface FileFacts { file: string, size: number, sha256: string }
export interface ManifestEntry extends FileFacts { target: Target, node: string, download?: FileFacts }
export interface Manifest { version: string, files: ManifestEntry[] }

export function writeReleaseFiles (outDir: string, version: string, files: ReleaseFile[]): Manifest {
  const manifest: Manifest = {
    version,
    files: files.map(({ target, path, download }) => ({
      ...factsOf(path),
      target,
      node: NODE_VERSION,
      ...(download !== undefined ? { download: factsOf(download) } : {})
    }))
  }
  const summed = manifest.files.flatMap(entry => entry.download !== undefined ? [entry, entry.download] : [entry])
  writeFileSync(join(outDir, 'SHA256SUMS'), summed.map(entry => `${entry.sha256}  ${entry.file}\n`).join(''))
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
  return manifest
}

function factsOf (path: string): FileFacts {
  return { file: basename(path), size: statSync(path).size, sha256: sha256File(path) }
}
