import assert from 'node:assert/strict'
import { existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { workboxScratchFolder } from '../../ui/scripts/workbox-scratch-plugin.js'

type Hook = (this: unknown) => void

describe('the UI build\'s scratch folder for workbox-build', () => {
  it('is the temporary directory during the build, and is removed with what was written into it', () => {
    const saved = { TMPDIR: process.env.TMPDIR, TEMP: process.env.TEMP, TMP: process.env.TMP }
    const plugin = workboxScratchFolder()
    try {
      (plugin.buildStart as Hook).call({})
      const scratch = tmpdir()
      assert.match(scratch, /causette-ui-build-/)
      writeFileSync(join(scratch, 'sw.js'), '// what workbox-build leaves')
      const closeBundle = plugin.closeBundle as { order: string, handler: Hook }
      assert.equal(closeBundle.order, 'post')
      closeBundle.handler.call({})
      assert.equal(existsSync(scratch), false)
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })
})
