// The order npm test starts its long test files in (scripts/test-runner/schedule.ts), and the weights file
// it reads naming only files that exist.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { parseWeights, readWeights, schedule } from '../../scripts/test-runner/schedule.js'

const ROOT = join(import.meta.dirname, '..', '..')

test('the longest files start first, unlisted ones after in their order, and the waiting ones apart', () => {
  const weights = parseWeights('# seconds path\n5 b.ts\n90 d.ts waits\n40 c.ts  # a comment\n10 e.ts waits\n')
  assert.deepEqual(schedule(['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts', 'f.ts'], weights), {
    busy: ['c.ts', 'b.ts', 'a.ts', 'f.ts'],
    waiting: ['d.ts', 'e.ts']
  })
})

test('a malformed weights line is refused with its number', () => {
  assert.throws(() => parseWeights('5 a.ts\nfast b.ts\n'), /line 2/)
  assert.throws(() => parseWeights('5 a.ts sleeps\n'), /line 1/)
})

test('every file in scripts/test-runner/weights.txt exists', () => {
  const missing = [...readWeights(join(ROOT, 'scripts', 'test-runner', 'weights.txt')).keys()].filter(file => !existsSync(join(ROOT, file)))
  assert.deepEqual(missing, [])
})
