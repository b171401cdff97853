// Export files: full, subset and redacted exports verify; a later export provably extends an earlier.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { startupEntry } from '../../core/journal/entry.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { verifyExtends } from '../../crypto/log/verify-extends.js'
import { alice, bob, carol, exportLines, memoryJournal, populate } from './journal-fixture.js'
import { toBase64, utf8 } from '../../crypto/encoding.js'
import { journalOrigin } from '../../crypto/log/peer-id.js'
import { formatCheckpoint, formatVerifierKey, noteKey, signNote } from '../../crypto/signed-note.js'
import { sha256 } from '../../crypto/sha256.js'

type Bodies = Map<string, { salt: Uint8Array, body: Uint8Array }>

async function populated (count = 12): Promise<{ journal: Awaited<ReturnType<typeof memoryJournal>>, bodies: Bodies }> {
  const journal = await memoryJournal()
  const bodies: Bodies = new Map()
  await journal.append([startupEntry(999)])
  await populate(journal, count, bodies)
  return { journal, bodies }
}

describe('journal export', () => {
  it('a full export verifies: root, author signatures, bodies', async () => {
    const { journal, bodies } = await populated()
    const lines = await exportLines(journal, {}, bodies)
    const report = await verifyExport(lines, nodeLogPrimitives)
    assert.equal(report.scope, 'full')
    assert.equal(report.size, 26) // startup + 12 × (message + receipt) + the export entry
    assert.equal(report.entries, 25)
    assert.equal(report.bodiesDisclosed, 12)
    assert.deepEqual(report.kinds, { startup: 1, 'message-sent': 6, 'message-received': 6, receipt: 12, export: 1 })
    assert.equal(report.keyPinned, false)
    assert.equal(report.key, journal.verifierKey)
  })

  it('a conversation export carries an inclusion proof per entry and verifies', async () => {
    const { journal, bodies } = await populated()
    const lines = await exportLines(journal, { with: bob.peerId }, bodies)
    const report = await verifyExport(lines, nodeLogPrimitives, { trustedKey: journal.verifierKey })
    assert.equal(report.scope, 'subset')
    assert.equal(report.entries, 16) // 8 messages with bob and their receipts
    assert.equal(report.bodiesDisclosed, 8)
    assert.equal(report.exportEntry['filter-with'], bob.peerId)
    assert.equal(lines.filter(l => l.startsWith('proof')).length, 17)
  })

  it('time windows and conversations select what they say', async () => {
    const { journal, bodies } = await populated()
    const report = await verifyExport(await exportLines(journal, { since: 1_002, until: 1_005 }, bodies), nodeLogPrimitives)
    assert.equal(report.entries, 6)
    const conversation = (await exportLines(journal, { with: carol.peerId }, bodies)).find(l => l.startsWith('entry'))!
    const id = (JSON.parse(Buffer.from(conversation.split(' ')[3]!, 'base64').toString()) as { conversation: string }).conversation
    assert.equal((await verifyExport(await exportLines(journal, { conversation: id }, bodies), nodeLogPrimitives)).entries, 8)
  })

  it('a redacted export withholds bodies and still verifies', async () => {
    const { journal, bodies } = await populated()
    const lines = await exportLines(journal, { redact: true }, bodies)
    assert.ok(!lines.some(l => l.startsWith('body')))
    const report = await verifyExport(lines, nodeLogPrimitives)
    assert.equal(report.bodiesDisclosed, 0)
    assert.equal(report.bodiesWithheld, 12)
    assert.equal(report.exportEntry.redact, 'yes')
  })

  it('an erased body is simply absent, and the journal still verifies', async () => {
    const { journal, bodies } = await populated()
    bodies.delete([...bodies.keys()][0]!)
    const report = await verifyExport(await exportLines(journal, {}, bodies), nodeLogPrimitives)
    assert.equal(report.bodiesWithheld, 1)
  })

  it('a later export extends an earlier one: full, and subset through a consistency proof', async () => {
    const { journal, bodies } = await populated()
    const first = await exportLines(journal, { with: bob.peerId }, bodies)
    await populate(journal, 5, bodies)
    const full = await exportLines(journal, {}, bodies)
    const subset = await exportLines(journal, { with: carol.peerId }, bodies)
    const a = await verifyExtends(first, full, nodeLogPrimitives)
    assert.ok(a.newer.size > a.older.size)
    await verifyExtends(first, subset, nodeLogPrimitives)
    await verifyExtends(full, subset, nodeLogPrimitives)
    await verifyExtends(subset, subset, nodeLogPrimitives)
    await assert.rejects(verifyExtends(subset, first, nodeLogPrimitives), { code: 'LOG_NOT_EXTENDED' })
  })

  it('a fork under the same key does not extend the journal, and a pinned key must match', async () => {
    const { journal, bodies } = await populated()
    const mine = await exportLines(journal, {}, bodies)
    const fork = await memoryJournal() // alice's key, other history
    await fork.append([startupEntry(1)])
    const theirs = await exportLines(fork, {}, new Map())
    await assert.rejects(verifyExtends(theirs, mine, nodeLogPrimitives), { code: 'LOG_NOT_EXTENDED' })
    await assert.rejects(verifyExport(mine, nodeLogPrimitives, { trustedKey: 'causette/journal/v1/other+00000000+AQ==' }), { code: 'LOG_VERIFICATION_FAILED' })
  })

  it('an empty journal, and a filter that matches nothing, still export and verify', async () => {
    const empty = await memoryJournal()
    const report = await verifyExport(await exportLines(empty, {}, new Map()), nodeLogPrimitives)
    assert.deepEqual([report.size, report.entries], [1, 0])
    const { journal, bodies } = await populated(2)
    const none = await verifyExport(await exportLines(journal, { with: 'peer-nobody' }, bodies), nodeLogPrimitives)
    assert.deepEqual([none.scope, none.entries], ['subset', 0])
  })

  it('appends made while an export streams are left out of it, and it still verifies', async () => {
    const { journal, bodies } = await populated(6)
    for (const filter of [{}, { with: bob.peerId }]) {
      const lines: string[] = []
      for await (const line of journal.export(filter, async id => bodies.get(id))) {
        lines.push(line)
        if (lines.length % 5 === 0) await journal.append([startupEntry(lines.length)])
      }
      const report = await verifyExport(lines, nodeLogPrimitives)
      assert.ok(journal.size > report.size)
    }
  })

  it('refuses a journal named after another PeerId than its key\'s', async () => {
    const { journal, bodies } = await populated(1)
    const lines = await exportLines(journal, {}, bodies)
    const key = noteKey(sha256, journalOrigin(bob.peerId), alice.keys.publicKey)
    const note = signNote(key, alice.sign, formatCheckpoint({ origin: key.name, size: 4, root: journal.root() }))
    const forged = [lines[0]!, `key ${formatVerifierKey(key)}`, lines[2]!, `checkpoint ${toBase64(utf8(note))}`, ...lines.slice(4)]
    await assert.rejects(verifyExport(forged, nodeLogPrimitives), { code: 'LOG_VERIFICATION_FAILED', line: 4, message: /another PeerId/ })
  })

  it('refuses a filter it cannot apply', async () => {
    const { journal, bodies } = await populated(1)
    await assert.rejects(exportLines(journal, { with: 'two words' }, bodies), { code: 'BAD_REQUEST' })
    await assert.rejects(exportLines(journal, { since: -1 }, bodies), { code: 'BAD_REQUEST' })
  })
})
