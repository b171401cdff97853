// Test releases: small fake "executables" (the format does not care what the bytes are) laid out as
// `npm run package` lays out dist/release, signed and bundled by the real signing code with a test key.
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SignedManifest } from '../../core/update/manifest.js'
import { signReleaseDir } from '../../scripts/release/sign-release.js'
import { signerKeyFromSeed, type SignerKey } from '../../scripts/release/signer-key.js'

/** A release key for tests, from a fixed seed per name ('test' trusted by test nodes, others not). */
export function testReleaseKey (name = 'causette-test-release'): SignerKey {
  return signerKeyFromSeed(name, createHash('sha256').update(name).digest())
}

export interface TestRelease { dir: string, bundle: string, manifest: SignedManifest }

/** Bytes that differ per target and version, `size` long (several chunks for the default). */
export function fakeExecutable (target: string, version: string, size: number): Uint8Array {
  const out = new Uint8Array(size)
  let seed = createHash('sha256').update(`${target} ${version}`).digest()
  for (let at = 0; at < size; at += seed.length) {
    out.set(seed.subarray(0, Math.min(seed.length, size - at)), at)
    seed = createHash('sha256').update(seed).digest()
  }
  return out
}

export async function makeRelease (dir: string, options: { version: string, targets: string[], key?: SignerKey, size?: number }): Promise<TestRelease> {
  await mkdir(dir, { recursive: true })
  const files = []
  for (const target of options.targets) {
    const file = `causette-${target}${target.startsWith('win') ? '.exe' : ''}`
    const bytes = fakeExecutable(target, options.version, options.size ?? 600 * 1024 + 17)
    await writeFile(join(dir, file), bytes)
    files.push({ file, target, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex'), node: '26.10.0' })
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ version: options.version, files }))
  const bundle = join(dir, `causette-${options.version}.causette-release`)
  const manifest = await signReleaseDir(dir, options.key ?? testReleaseKey(), { bundle })
  return { dir, bundle, manifest }
}
