// What sits beside the executables in dist/release: SHA256SUMS (sha256sum's format, so
// `sha256sum -c SHA256SUMS` checks them) and manifest.json.
import { statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Target } from '../../core/runtime/targets.js'
import { sha256File } from './node-binaries.js'
import { NODE_VERSION } from './targets.js'

export interface ReleaseFile { target: Target, path: string }

export interface ManifestEntry { file: string, target: Target, size: number, sha256: string, node: string }
export interface Manifest { version: string, files: ManifestEntry[] }

export function writeReleaseFiles (outDir: string, version: string, files: ReleaseFile[]): Manifest {
  const manifest: Manifest = {
    version,
    files: files.map(({ target, path }) => ({ file: basename(path), target, size: statSync(path).size, sha256: sha256File(path), node: NODE_VERSION }))
  }
  writeFileSync(join(outDir, 'SHA256SUMS'), manifest.files.map(entry => `${entry.sha256}  ${entry.file}\n`).join(''))
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
  return manifest
}
