// OneAtATime (core/workspace/one-at-a-time.ts): one run per key at a time; requests made during a
// run share one more run after it; each caller settles with a run that began after its request.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { OneAtATime } from '../../core/workspace/one-at-a-time.js'

/** A task whose runs the test finishes by hand, recording when each began and how many overlap. */
function manualTask (): { task: (key: string) => Promise<void>, began: string[], finish: (error?: Error) => void, mostAtOnce: () => number } {
  const began: string[] = []
  const pending: Array<{ resolve: () => void, reject: (error: Error) => void }> = []
  let running = 0
  let most = 0
  const task = async (key: string): Promise<void> => {
    began.push(key)
    most = Math.max(most, ++running)
    try {
      await new Promise<void>((resolve, reject) => { pending.push({ resolve, reject }) })
    } finally {
      running--
    }
  }
  const finish = (error?: Error): void => {
    const next = pending.shift()!
    if (error === undefined) next.resolve()
    else next.reject(error)
  }
  return { task, began, finish, mostAtOnce: () => most }
}

const turn = async (): Promise<void> => { await new Promise(resolve => setImmediate(resolve)) }

test('requests during a run share one run after it; other keys run alongside', async () => {
  const m = manualTask()
  const queue = new OneAtATime(m.task)
  const first = queue.request('bob')
  const second = queue.request('bob')
  const third = queue.request('bob')
  const carol = queue.request('carol')
  await turn()
  assert.deepEqual(m.began, ['bob', 'carol'])
  m.finish() // bob's first run
  await first
  await turn()
  assert.deepEqual(m.began, ['bob', 'carol', 'bob'], 'one more run for the two requests made meanwhile')
  m.finish() // carol
  m.finish() // bob's second run
  await Promise.all([second, third, carol])
  assert.equal(m.began.length, 3)
})

test('a failed run rejects its callers only; the next request runs again', async () => {
  const m = manualTask()
  const queue = new OneAtATime(m.task)
  const failing = queue.request('bob')
  const after = queue.request('bob')
  await turn()
  m.finish(new Error('reset'))
  await assert.rejects(failing, /reset/)
  await turn()
  m.finish()
  await after
  const again = queue.request('bob')
  await turn()
  m.finish()
  await again
  assert.deepEqual(m.began, ['bob', 'bob', 'bob'])
  assert.equal(m.mostAtOnce(), 1)
})
