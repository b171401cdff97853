// Random damage to an export: the verifier answers with LogVerificationError every time (never
// another exception), and any changed character is caught.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import fc from 'fast-check'
import { startupEntry } from '../../core/journal/entry.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { bob, exportLines, memoryJournal, populate } from './journal-fixture.js'

async function outcome (lines: string[]): Promise<'ok' | 'rejected'> {
  try {
    await verifyExport(lines, nodeLogPrimitives)
    return 'ok'
  } catch (error) {
    assert.equal((error as { code?: string }).code, 'LOG_VERIFICATION_FAILED', String(error))
    return 'rejected'
  }
}

describe('verifier under random damage', () => {
  const files: string[][] = []
  before(async () => {
    const journal = await memoryJournal()
    const bodies = new Map<string, { salt: Uint8Array, body: Uint8Array }>()
    await journal.append([startupEntry(1)])
    await populate(journal, 5, bodies)
    files.push(await exportLines(journal, {}, bodies))
    files.push(await exportLines(journal, { with: bob.peerId }, bodies))
  })

  it('the undamaged exports verify (else rejecting every damaged one would prove nothing)', async () => {
    for (const lines of files) assert.equal(await outcome(lines), 'ok')
  })

  it('any changed character is rejected', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(1), fc.nat(), fc.nat(), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }), async (f, l, c, ch) => {
      const lines = [...files[f]!]
      const i = l % lines.length
      const at = c % lines[i]!.length
      fc.pre(lines[i]![at] !== ch)
      lines[i] = lines[i]!.slice(0, at) + ch + lines[i]!.slice(at + 1)
      assert.equal(await outcome(lines), 'rejected')
    }), { numRuns: 400 })
  })

  it('deleted, repeated, swapped or foreign lines get a verification error, never a crash', async () => {
    const seen = { ok: 0, rejected: 0 }
    await fc.assert(fc.asyncProperty(fc.nat(1), fc.nat(), fc.nat(), fc.constantFrom('delete', 'repeat', 'swap', 'insert'), fc.string({ unit: 'binary', maxLength: 80 }), async (f, a, b, edit, junk) => {
      const lines = [...files[f]!]
      const i = a % lines.length
      const j = b % lines.length
      if (edit === 'delete') lines.splice(i, 1)
      if (edit === 'repeat') lines.splice(i, 0, lines[i]!)
      if (edit === 'swap') [lines[i], lines[j]] = [lines[j]!, lines[i]!]
      if (edit === 'insert') lines.splice(i, 0, junk)
      const result = await outcome(lines)
      seen[result]++
      // Only a no-op swap, or dropping an optional line (a disclosed body, a consistency proof),
      // leaves a valid file: the report then counts the body as withheld.
      const optional = /^(body|consistency) /.test(files[f]![i]!)
      if (result === 'ok') assert.ok((edit === 'swap' && lines[i] === lines[j]) || (edit === 'delete' && optional), `${edit} ${i} ${j}`)
    }), { numRuns: 400 })
    // Both outcomes, or the property could not tell a verifier that accepts, or refuses, everything.
    assert.ok(seen.ok > 0 && seen.rejected > 0, `verified ${seen.ok}, rejected ${seen.rejected}`)
  })
})
