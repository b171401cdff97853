// The Ed25519 pool's worker threads load sodium-native as inside the single executable: from a
// bundle packed as an asset, the binding from the addon's cached file (core/runtime/worker-modules.ts).
// Run from source they load the package by its path. (The
// executable itself is run in test/lan/executable.test.ts.)
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { utf8 } from '../../crypto/encoding.js'
import { LOAD_MODULE_IN_WORKER, sodiumNativeForWorkers, type WorkerModule } from '../../core/runtime/worker-modules.js'
import { bundleSodiumNativeForWorkers } from '../../scripts/package/bundle.js'

const VERIFY_IN_WORKER = `${LOAD_MODULE_IN_WORKER}
const { parentPort, workerData } = require('node:worker_threads')
const sodium = loadModule(workerData.module)
parentPort.postMessage(workerData.checks.map(c => sodium.crypto_sign_verify_detached(c.signature, c.message, c.publicKey)))`

async function verifyInWorker (module: WorkerModule): Promise<boolean[]> {
  const keys = ed25519FromSeed(new Uint8Array(32).fill(9))
  const message = utf8('signed in the main thread')
  const signature = ed25519Signer(keys.seed)(message)
  const forged = signature.slice()
  forged[10]! ^= 1
  const checks = [{ publicKey: keys.publicKey, message, signature }, { publicKey: keys.publicKey, message, signature: forged }]
  const worker = new Worker(VERIFY_IN_WORKER, { eval: true, workerData: { module, checks } })
  return await new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
}

test('run from source, a worker loads sodium-native by its path', async () => {
  const module = sodiumNativeForWorkers()
  assert.ok('path' in module)
  assert.deepEqual(await verifyInWorker(module), [true, false])
})

test('as packed: the bundle, its addon given from the file the executable writes to its cache', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'causette-worker-bundle-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const bundle = join(dir, 'sodium-native.cjs')
  await bundleSodiumNativeForWorkers(bundle)
  const source = await readFile(bundle, 'utf8')
  // The tests run on linux-x64, as CI does.
  const addonFile = createRequire(import.meta.url).resolve('sodium-native/prebuilds/linux-x64/sodium-native.node')
  assert.deepEqual(await verifyInWorker({ source, addonFile }), [true, false])
})
