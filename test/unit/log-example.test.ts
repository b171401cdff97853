// The example exports in docs/examples verify with our code AND with the independent Python
// verifier written from docs/log-format.md; both reject a one-byte edit and name the same entry.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, it } from 'node:test'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { readLines } from '../../core/journal/read-lines.js'
import { verifyExport, type LogVerificationError } from '../../crypto/log/verify-export.js'
import { verifyExtends } from '../../crypto/log/verify-extends.js'

const examples = (name: string): string => fileURLToPath(new URL(`../../docs/examples/${name}`, import.meta.url))
const FULL = examples('journal-export-full.txt')
const BOB = examples('journal-export-bob.txt')
const dir = mkdtempSync(join(tmpdir(), 'causette-example-'))

function python (file: string): { ok: boolean, out: string } {
  try {
    return { ok: true, out: execFileSync('python3', [examples('verify_journal.py'), file], { encoding: 'utf8' }) }
  } catch (error) {
    return { ok: false, out: (error as { stdout: string }).stdout }
  }
}

/** A copy of `file` with one base64 character changed on the first line starting with `prefix`. */
function edited (file: string, prefix: string, name: string): string {
  const lines = readFileSync(file, 'utf8').split('\n')
  const i = lines.findIndex(l => l.startsWith(prefix))
  const at = lines[i]!.length - 10
  lines[i] = lines[i]!.slice(0, at) + (lines[i]![at] === 'A' ? 'B' : 'A') + lines[i]!.slice(at + 1)
  const path = join(dir, name)
  writeFileSync(path, lines.join('\n'))
  return path
}

describe('the example exports of docs/log-format.md', () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('verify with our code, and the later one extends the earlier', async () => {
    const full = await verifyExport(readLines(FULL), nodeLogPrimitives)
    const bob = await verifyExport(readLines(BOB), nodeLogPrimitives, { trustedKey: full.key })
    assert.equal(full.scope, 'full')
    assert.equal(bob.scope, 'subset')
    assert.ok(bob.bodiesDisclosed > 0)
    await verifyExtends(readLines(FULL), readLines(BOB), nodeLogPrimitives)
  })

  it('verify with the Python verifier that follows the document', () => {
    for (const file of [FULL, BOB]) {
      const result = python(file)
      assert.ok(result.ok, result.out)
      assert.match(result.out, /^OK: /)
    }
  })

  it('a one-byte edit fails in both verifiers, which name the same entry', async () => {
    const cases = [edited(FULL, 'entry 4 ', 'full-entry.txt'), edited(FULL, 'body ', 'full-body.txt'), edited(BOB, 'proof ', 'bob-proof.txt'), edited(BOB, 'entry 9 ', 'bob-entry.txt')]
    for (const file of cases) {
      const ours = await verifyExport(readLines(file), nodeLogPrimitives).then(() => undefined, (error: LogVerificationError) => error)
      assert.ok(ours !== undefined, `${file} verified with our code`)
      const theirs = python(file)
      assert.equal(theirs.ok, false, `${file} verified with Python`)
      assert.match(theirs.out, new RegExp(`^FAILED entry ${ours.entry!} \\(line ${ours.line}\\)`), `${ours.message} / ${theirs.out}`)
    }
  })
})
