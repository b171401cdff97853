// Signs a release directory (dist/release from `npm run package`: the executables, SHA256SUMS and
// manifest.json): every file is read again and must match what manifest.json says, then the signed
// manifest (core/update/manifest.ts) is written beside them as release.note and, if asked, the whole
// release as one bundle file (core/update/bundle.ts) an admin gives to their node.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeBundle } from '../../core/update/bundle.js'
import { digestFile } from '../../core/update/chunks.js'
import { openManifest, signManifest, type ReleaseFile, type SignedManifest } from '../../core/update/manifest.js'
import { isTarget } from '../../core/runtime/targets.js'
import { noteKey } from '../../crypto/signed-note.js'
import { sha256 } from '../../crypto/sha256.js'
import type { SignerKey } from './signer-key.js'

export const SIGNED_MANIFEST_FILE = 'release.note'

/** What `npm run package` writes in manifest.json (scripts/package/release-files.ts). */
interface PackagedManifest { version: string, files: Array<{ file: string, target: string, size: number, sha256: string }> }

export async function signReleaseDir (dir: string, signer: SignerKey, options: { bundle?: string } = {}): Promise<SignedManifest> {
  const packaged = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as PackagedManifest
  const files: ReleaseFile[] = []
  for (const entry of packaged.files) {
    if (!isTarget(entry.target)) throw new Error(`manifest.json: unknown target ${entry.target}`)
    const digest = await digestFile(join(dir, entry.file))
    if (digest.size !== entry.size || digest.sha256 !== entry.sha256) throw new Error(`${entry.file} differs from manifest.json (size or SHA-256): package again`)
    files.push({ target: entry.target, name: entry.file, size: digest.size, sha256: digest.sha256, chunkRoot: digest.chunkRoot })
  }
  const note = signManifest(signer.key, signer.sign, { version: packaged.version, files })
  // Checked as a node will check it: the signature and the text, with the public key alone.
  const manifest = openManifest(note, noteKey(sha256, signer.key.name, signer.key.publicKey))
  await writeFile(join(dir, SIGNED_MANIFEST_FILE), note)
  if (options.bundle !== undefined) await writeBundle(options.bundle, manifest, dir)
  return manifest
}
