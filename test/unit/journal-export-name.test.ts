// The export file's name says whose conversation it is, in ASCII (it travels in a header).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { exportFileName } from '../../core/api/journal-export.js'

describe('journal export file name', () => {
  const day = new Date('2026-12-04T14:02:00Z')
  it('names the colleague or the channel, accents and punctuation folded', () => {
    assert.equal(exportFileName('Bruno Martin', day), 'causette-journal-bruno-martin-2026-12-04.txt')
    assert.equal(exportFileName('Chloé  D\'Arcy', day), 'causette-journal-chloe-d-arcy-2026-12-04.txt')
    assert.equal(exportFileName('project-atlas', day), 'causette-journal-project-atlas-2026-12-04.txt')
  })
  it('falls back to the day alone for the whole journal or a name with nothing to keep', () => {
    assert.equal(exportFileName(undefined, day), 'causette-journal-2026-12-04.txt')
    assert.equal(exportFileName('日本', day), 'causette-journal-2026-12-04.txt')
    assert.equal(exportFileName('"; rm -rf', day), 'causette-journal-rm-rf-2026-12-04.txt')
  })
})
