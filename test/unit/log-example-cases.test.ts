// Every row of docs/examples/README.md's table, through the three verifiers: ours (`causette log
// verify`'s code, its signatures checked in batches on worker threads), the browser verifier page's
// module (the same pure code on libsodium) and docs/examples/verify_journal.py, written from
// docs/log-format.md alone. All three must give the table's verdict, refuse at the place it names,
// and count the same warnings (seq findings, and 1:1 messages filed in a conversation not theirs).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { parallelLogPrimitives } from '../../core/journal/primitives.js'
import { readLines } from '../../core/journal/read-lines.js'
import { exportTextLines } from '../../crypto/log/export-format.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { verifyExtends } from '../../crypto/log/verify-extends.js'
import { verifyExportText } from '../../ui/src/verifier/verify-file.js'
import { loadSodiumPrimitives } from '../../ui/src/verifier/sodium-primitives.js'

const examples = (name: string): string => fileURLToPath(new URL(`../../docs/examples/${name}`, import.meta.url))

/** What a verifier said: valid (with its seq warnings), or invalid and where. */
type Verdict = { valid: true, warnings: number } | { valid: false, place: string }

interface Row { files: string[], expected: Verdict, what: string }

function rows (): Row[] {
  const table = readFileSync(examples('README.md'), 'utf8').split('\n').filter(line => /^\| \[/.test(line))
  return table.map(line => {
    const [files, verdict, what] = line.split(' | ').map(cell => cell.replace(/^\| |\s*\|$/g, ''))
    const names = [...files!.matchAll(/\]\(([^)]+)\)/g)].map(m => m[1]!)
    const warnings = /valid, (\d+) warning/.exec(verdict!)
    const expected: Verdict = verdict!.startsWith('valid') ? { valid: true, warnings: Number(warnings?.[1] ?? 0) } : { valid: false, place: verdict!.replace(/^invalid:? ?/, '') }
    return { files: names, expected, what: what! }
  })
}

/** "entry 6 (line 11): reason" or "line 9: reason" → the place; a pair's failure has none. */
const placeOf = (message: string): string => /^(?:the (?:older|newer) file: )?((?:entry \d+ \()?line \d+\)?)/.exec(message)?.[1] ?? ''

async function ours (files: string[]): Promise<Verdict> {
  try {
    if (files.length === 2) {
      await verifyExtends(readLines(examples(files[0]!)), readLines(examples(files[1]!)), parallelLogPrimitives)
      return { valid: true, warnings: 0 }
    }
    const report = await verifyExport(readLines(examples(files[0]!)), parallelLogPrimitives)
    return { valid: true, warnings: report.seqFindingsTotal + report.conversationFindingsTotal }
  } catch (error) {
    if (!['LOG_VERIFICATION_FAILED', 'LOG_NOT_EXTENDED'].includes((error as { code?: string }).code ?? '')) throw error
    return { valid: false, place: placeOf((error as Error).message) }
  }
}

async function browser (files: string[]): Promise<Verdict> {
  const text = (file: string): string => readFileSync(examples(file), 'utf8')
  if (files.length === 2) {
    const primitives = await loadSodiumPrimitives()
    return await verifyExtends(exportTextLines(text(files[0]!)), exportTextLines(text(files[1]!)), primitives)
      .then(() => ({ valid: true as const, warnings: 0 }), (error: Error) => ({ valid: false as const, place: placeOf(error.message) }))
  }
  const outcome = await verifyExportText(text(files[0]!))
  if (outcome.verdict === 'invalid') return { valid: false, place: placeOf(outcome.failure.message) }
  const warned = outcome.summary.map(line => /^Warning: (\d+) /.exec(line)?.[1])
  return { valid: true, warnings: warned.reduce((sum, count) => sum + Number(count ?? 0), 0) }
}

function python (files: string[]): Verdict {
  let out: string
  try {
    out = execFileSync('python3', [examples('verify_journal.py'), ...files.map(examples)], { encoding: 'utf8' })
  } catch (error) {
    out = (error as { stdout: string }).stdout
    assert.match(out, /^FAILED /, out)
    return { valid: false, place: placeOf(out.replace(/^FAILED /, '')) }
  }
  assert.match(out, /^OK: /, out)
  return { valid: true, warnings: out.split('\n').filter(line => /^WARNING (seq|conversation): /.test(line)).length }
}

describe('the example files of docs/examples/README.md, in all three verifiers', () => {
  const table = rows()

  it('the table lists every file of docs/examples/cases', () => {
    assert.ok(table.length >= 20)
    const listed = new Set(table.flatMap(row => row.files))
    for (const file of readFileSync(examples('make-cases.ts'), 'utf8').matchAll(/write\('([^']+)'/g)) assert.ok(listed.has(`cases/${file[1]!}`), `cases/${file[1]!} is not in the table`)
  })

  for (const row of table) {
    it(`${row.files.join(' then ')}: ${row.expected.valid ? 'valid' : 'invalid'} (${row.what})`, async () => {
      const expected = row.files.length === 2 && !row.expected.valid ? { valid: false, place: '' } : row.expected
      assert.deepEqual(await ours(row.files), expected, 'causette log verify')
      assert.deepEqual(await browser(row.files), expected, 'the browser verifier')
      assert.deepEqual(python(row.files), expected, 'verify_journal.py')
    })
  }
})
