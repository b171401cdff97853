import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'

/** Two builds' hooks in one process, as `vite build --watch` runs them; prints what each saw. */
const BUILDS = `
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { workboxScratchFolder } from './ui/scripts/workbox-scratch-plugin.ts'
const seen = { before: tmpdir(), during: [], after: [] }
for (const build of [1, 2]) {
  const plugin = workboxScratchFolder()
  plugin.buildStart.call({})
  seen.during.push(tmpdir())
  writeFileSync(join(tmpdir(), 'sw-' + build + '.js'), '// what workbox-build leaves')
  plugin.closeBundle.handler.call({})
  seen.after.push(tmpdir())
}
console.log(JSON.stringify(seen))
`

describe('the UI build\'s scratch folder for workbox-build', () => {
  it('is the temporary directory during each build of a process, the process\'s own after it, and is gone once the process exits', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', BUILDS])
    const seen = JSON.parse(stdout) as { before: string, during: string[], after: string[] }
    const [first, second] = seen.during
    assert.match(first!, /causette-ui-build-/)
    assert.equal(second, first, 'the second build writes into the first one\'s folder, as workbox-build would')
    assert.deepEqual(seen.after, [seen.before, seen.before])
    assert.equal(existsSync(first!), false)
  })
})
