// The node's GC setting (core/runtime/gc-tuning.ts): in a heap the size of a node's, a stream of
// short-lived buffers outside V8's heap, as a file transfer makes, no longer sets off a full
// collection every 64 MB or so. Each way runs in a process of its own (a V8 flag cannot be unset),
// with V8's marking on the main thread (--no-concurrent-marking): with marking threads, how many
// collections a run saw depended on how fast those threads got a core (8 to 24 without the setting
// on a quiet machine, 3 or 4 in a busy unit suite, where the test then failed); on the main thread,
// marking advances with the allocations themselves: 11 to 15 without the setting, 1 with it, under
// two CPU hogs at a load of 10 as on a quiet machine.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { needsGcFlag } from '../../core/runtime/gc-tuning.js'

const ALLOCATOR = fileURLToPath(new URL('./gc-tuning-allocator.ts', import.meta.url))

async function fullCollections (way: 'tuned' | 'default'): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--no-concurrent-marking', '--import', 'tsx', ALLOCATOR, way])
  return (JSON.parse(stdout) as { fullCollections: number }).fullCollections
}

test('2 GiB of short-lived 64 KiB buffers: far fewer full collections with the node\'s GC setting', async () => {
  // One way after the other: beside an untuned allocator, the tuned one saw 10 to 14 collections at a
  // load of 9, since V8 frees a dead buffer's memory on a thread of its own.
  const untuned = await fullCollections('default')
  const tuned = await fullCollections('tuned')
  assert.ok(untuned >= 4, `without the setting, V8 collects fully every 64 MB or so (saw ${untuned})`)
  assert.ok(tuned * 2 < untuned, `with it, far fewer: ${tuned} against ${untuned} without`)
})

test('the flag is set on the V8s that have it and need it: Node 24 and 26, not Node 20 nor V8 14.8', () => {
  assert.equal(needsGcFlag('11.3.244.8-node.33'), false) // Node 20: no such flag
  assert.equal(needsGcFlag('13.6.233.17-node.28'), true) // Node 24
  assert.equal(needsGcFlag('14.6.202.33-node.20'), true) // Node 26
  assert.equal(needsGcFlag('14.7.1'), true)
  assert.equal(needsGcFlag('14.8.0'), false) // the default there, and the flag is gone
  assert.equal(needsGcFlag('15.0.0'), false)
})
