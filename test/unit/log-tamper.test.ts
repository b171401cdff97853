// The tamper matrix: every edit of an export fails verification, naming the entry it touched; the
// untouched file passes. Run on a full export and on a subset export (with inclusion proofs).
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { fromBase64, toBase64 } from '../../crypto/encoding.js'
import { canonicalJson, type LeafObject } from '../../crypto/log/canonical-json.js'
import { verifyExport, type LogVerificationError } from '../../crypto/log/verify-export.js'
import { hashLeaf } from '../../crypto/merkle.js'
import { sha256 } from '../../crypto/sha256.js'
import { startupEntry } from '../../core/journal/entry.js'
import { nodeLogPrimitives, parallelLogPrimitives } from '../../core/journal/primitives.js'
import type { LogPrimitives } from '../../crypto/log/primitives.js'
import { bob, carol, exportLines, memoryJournal, populate } from './journal-fixture.js'

/** Lines grouped by the entry they belong to: an entry line and the body/proof lines after it. */
function blocks (lines: string[]): { head: string[], entries: Array<{ index: number, lines: string[] }>, end: string[] } {
  const firstEntry = lines.findIndex(l => l.startsWith('entry '))
  const endAt = lines.lastIndexOf('end')
  const entries: Array<{ index: number, lines: string[] }> = []
  for (const line of lines.slice(firstEntry, endAt)) {
    if (line.startsWith('entry ')) entries.push({ index: Number(line.split(' ')[1]), lines: [line] })
    else entries.at(-1)!.lines.push(line)
  }
  return { head: lines.slice(0, firstEntry), entries, end: lines.slice(endAt) }
}

const join = (b: ReturnType<typeof blocks>): string[] => [...b.head, ...b.entries.flatMap(e => e.lines), ...b.end]

let primitives: LogPrimitives = nodeLogPrimitives

async function failure (lines: string[]): Promise<LogVerificationError> {
  try {
    await verifyExport(lines, primitives)
  } catch (error) {
    assert.equal((error as LogVerificationError).code, 'LOG_VERIFICATION_FAILED', String(error))
    return error as LogVerificationError
  }
  assert.fail('the tampered file verified')
}

/** Replaces one base64 character in the middle of field `field` of a line with another one. */
function flip (line: string, field: number): string {
  const parts = line.split(' ')
  const value = parts[field]!
  const at = Math.floor(value.replace(/=+$/, '').length / 2)
  parts[field] = value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1)
  return parts.join(' ')
}

/** Carol signs the author's statement in place of the author, and the leaf hash is fixed up. */
const forgeSignature = (line: string): string => rewriteLeaf(line, fields => {
  fields.signature = toBase64(ed25519Signer(carol.keys.seed)(fromBase64(fields.statement as string)))
})

/** Rewrites an entry's leaf JSON and fixes the line's leaf hash, as a careful forger would. */
function rewriteLeaf (line: string, edit: (fields: Record<string, unknown>) => void): string {
  const [, index, , leaf] = line.split(' ')
  const fields = JSON.parse(Buffer.from(leaf!, 'base64').toString()) as Record<string, unknown>
  edit(fields)
  const bytes = Buffer.from(canonicalJson(fields as LeafObject))
  return `entry ${index} ${toBase64(hashLeaf(sha256, bytes))} ${bytes.toString('base64')}`
}

// Every case runs with signatures checked inline and in batches on worker threads.
for (const [threads, p] of [['inline', nodeLogPrimitives], ['worker threads', parallelLogPrimitives]] as const) {
  for (const scope of ['full', 'subset'] as const) {
    describe(`tamper matrix, ${scope} export, signatures checked ${threads}`, () => {
      let lines: string[] = []
      let older: string[] = []
      let b: ReturnType<typeof blocks>
      const messageBlock = (): { index: number, lines: string[] } => b.entries.find(e => e.lines.some(l => l.startsWith('body ')))!

      before(async () => {
        primitives = p
        const journal = await memoryJournal()
        const bodies = new Map<string, { salt: Uint8Array, body: Uint8Array }>()
        await journal.append([startupEntry(1)])
        await populate(journal, 9, bodies)
        older = await exportLines(journal, {}, bodies)
        await populate(journal, 4, bodies)
        lines = await exportLines(journal, scope === 'full' ? {} : { with: bob.peerId }, bodies)
        b = blocks(lines)
      })

      it('the untouched file passes', async () => {
        const report = await verifyExport(lines, primitives)
        assert.equal(report.scope, scope)
      })

      it('one flipped byte in any entry, leaf hash, body or proof line names that entry', async () => {
        for (const entry of b.entries) {
          for (const [i, line] of entry.lines.entries()) {
            const fields = line.split(' ').length
            for (let field = line.startsWith('entry ') ? 2 : 1; field < fields; field++) {
              const copy = structuredClone(b)
              copy.entries.find(e => e.index === entry.index)!.lines[i] = flip(line, field)
              const error = await failure(join(copy))
              assert.equal(error.entry, entry.index, `${line.slice(0, 30)}… field ${field}: ${error.message}`)
            }
          }
        }
      })

      it('one flipped bit at any of 400 places spread over the whole file fails', async () => {
        const text = lines.join('\n') + '\n'
        for (let k = 0; k < 400; k++) {
          const at = Math.floor((k * text.length) / 400)
          const flipped = text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ 1) + text.slice(at + 1)
          await failure(flipped.split('\n').slice(0, -1))
        }
      })

      it('one flipped byte in the header, the checkpoint or a consistency line fails', async () => {
        for (let i = 1; i < b.head.length; i++) {
          const copy = structuredClone(b)
          copy.head[i] = flip(copy.head[i]!, 1)
          await failure(join(copy))
        }
      })

      it('a deleted entry is named (full) or caught by the export\'s own count (subset)', async () => {
        const victim = b.entries[3]!
        const copy = structuredClone(b)
        copy.entries.splice(3, 1)
        const error = await failure(join(copy))
        assert.equal(error.entry, scope === 'full' ? victim.index : b.entries.at(-1)!.index, error.message)
      })

      it('a duplicated entry is named', async () => {
        const copy = structuredClone(b)
        copy.entries.splice(4, 0, structuredClone(b.entries[4]!))
        assert.equal((await failure(join(copy))).entry, b.entries[4]!.index)
      })

      it('two swapped entries are named', async () => {
        const copy = structuredClone(b)
        ;[copy.entries[5], copy.entries[6]] = [copy.entries[6]!, copy.entries[5]!]
        const error = await failure(join(copy))
        assert.ok([b.entries[5]!.index, b.entries[6]!.index].includes(error.entry!), error.message)
      })

      it('a truncated file names the first entry missing', async () => {
        const cut = b.entries.length - 3
        const copy = { ...structuredClone(b), end: [] }
        copy.entries.splice(cut)
        const error = await failure(join(copy))
        assert.equal(error.entry, scope === 'full' ? b.entries[cut]!.index : b.entries.at(-1)!.index, error.message)
        const noEnd = await failure(lines.slice(0, -1))
        assert.match(noEnd.message, /cut short/)
      })

      it('an older checkpoint swapped in fails', async () => {
        const copy = structuredClone(b)
        copy.head[3] = older.find(l => l.startsWith('checkpoint '))!
        await failure(join(copy))
      })

      it('a checkpoint signed by another key fails at the checkpoint', async () => {
        const forged = await memoryJournal(carol)
        await forged.append([startupEntry(1)])
        const copy = structuredClone(b)
        copy.head[3] = (await exportLines(forged, {}, new Map())).find(l => l.startsWith('checkpoint '))!
        const error = await failure(join(copy))
        assert.equal(error.entry, undefined)
        assert.ok(error.line === 4, error.message)
      })

      it('a changed disclosed body is named', async () => {
        const target = messageBlock()
        const copy = structuredClone(b)
        const block = copy.entries.find(e => e.index === target.index)!
        const at = block.lines.findIndex(l => l.startsWith('body '))
        const [tag, salt] = block.lines[at]!.split(' ')
        block.lines[at] = `${tag!} ${salt!} ${Buffer.from('a different body').toString('base64')}`
        assert.equal((await failure(join(copy))).entry, target.index)
      })

      it('a forged author signature is named, even with the leaf hash recomputed', async () => {
        const target = messageBlock()
        const copy = structuredClone(b)
        const block = copy.entries.find(e => e.index === target.index)!
        block.lines[0] = forgeSignature(block.lines[0]!)
        const error = await failure(join(copy))
        assert.equal(error.entry, target.index)
        assert.match(error.message, /author signature/)
      })

      it('with a forged signature and a later broken line, the forged entry is named first', async () => {
        const target = messageBlock()
        const copy = structuredClone(b)
        const block = copy.entries.find(e => e.index === target.index)!
        block.lines[0] = forgeSignature(block.lines[0]!)
        const later = copy.entries.at(-2)!
        later.lines[0] = flip(later.lines[0]!, 3)
        assert.equal((await failure(join(copy))).entry, target.index)
        const earlier = structuredClone(b)
        earlier.entries[0]!.lines[0] = flip(earlier.entries[0]!.lines[0]!, 3)
        earlier.entries.find(e => e.index === target.index)!.lines[0] = block.lines[0]!
        assert.equal((await failure(join(earlier))).entry, b.entries[0]!.index)
      })

      it('a message attributed to another peer is named, even with the leaf hash recomputed', async () => {
        const target = messageBlock()
        const copy = structuredClone(b)
        const block = copy.entries.find(e => e.index === target.index)!
        block.lines[0] = rewriteLeaf(block.lines[0]!, fields => { fields.peer = carol.peerId })
        const error = await failure(join(copy))
        assert.equal(error.entry, target.index)
        assert.match(error.message, /peer is not/)
      })

      it('an edit that keeps its own line consistent is still caught by the tree', async () => {
        const target = b.entries[2]!
        const copy = structuredClone(b)
        copy.entries.find(e => e.index === target.index)!.lines[0] = rewriteLeaf(target.lines[0]!, fields => { fields.time = (fields.time as number) + 1 })
        const error = await failure(join(copy))
        // A subset proof names the entry; a full export learns it only from the root at the end.
        if (scope === 'subset') assert.equal(error.entry, target.index)
        else assert.match(error.message, /do not rebuild the checkpoint root/)
      })

      it('bad input of every shape gets a clear error, never a crash', async () => {
        for (const bad of [[], [''], ['causette-journal-export 2'], [lines[0]!, 'key'], [lines[0]!, 'nonsense line'], [...lines, 'extra'], [...lines.slice(0, 4), 'entry x y z', 'end']]) {
          await failure(bad)
        }
      })
    })
  }
}
