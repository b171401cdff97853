// The journal's verification code stays browser-safe: no Node module, nothing outside crypto/
// but uint8arrays, so the app's offline verifier page runs the same code as `causette log verify`.
// Imports are read by the parser of import-rules.test.ts (which checks the folders' rules).
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { importsOf } from './import-graph.js'

const root = new URL('../../crypto/', import.meta.url)
const files = ['merkle.ts', 'signed-note.ts', 'statement.ts', 'receipt.ts', 'text-fields.ts', 'encoding.ts', 'base64.ts', 'signing-labels.ts', 'membership-entry.ts', 'channel-entry.ts', 'coded-error.ts', 'channel-membership-rule.ts', ...readdirSync(new URL('log/', root)).map(f => `log/${f}`)]
const ALLOWED = new Set(['./encoding.js', './base64.js', './statement.js', './receipt.js', './text-fields.js', './signing-labels.js', './merkle.js', './signed-note.js', './membership-entry.js', './channel-entry.js', './coded-error.js', './channel-membership-rule.js', 'uint8arrays'])

describe('pure verification code', () => {
  it('imports no Node module and only pure crypto/ files', () => {
    for (const file of files) {
      const text = readFileSync(new URL(file, root), 'utf8')
      for (const { specifier } of importsOf(file, text)) {
        const local = specifier.replace(/^\.\.\//, './')
        const ok = ALLOWED.has(local) || local.startsWith('./log/') || (file.startsWith('log/') && specifier.startsWith('./'))
        assert.ok(ok, `${file} imports ${specifier}`)
      }
    }
  })
})
