// The node's JournalPort in journal entries: every kind encodes, and a journal written through it
// exports and verifies.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { toBase64 } from '../../crypto/encoding.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { journalPort } from '../../core/journal/port.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import type { ContactRecord, MessageRecord } from '../../core/store/records.js'
import { alice, bob, exportLines, memoryJournal, message } from './journal-fixture.js'

describe('journal port', () => {
  it('records messages, receipts, key pins and key changes that verify', async () => {
    const port = journalPort(() => 5_000)
    const m = message(alice, bob, 'hello', 1_000, 1)
    const record = { ...m.entry, direction: 'out', author: alice.peerId, text: 'hello', salt: toBase64(m.salt), state: 'sent', stateTime: 1_000, verified: true } as unknown as MessageRecord
    const contact = { peerId: bob.peerId, deviceKey: toBase64(bob.keys.publicKey), identityKey: toBase64(new Uint8Array(32).fill(9)), pinnedAt: 900 } as ContactRecord
    const changed = { ...contact, keyChanged: { identityKey: toBase64(new Uint8Array(32).fill(10)), seenAt: 4_000 } }
    const journal = await memoryJournal()
    await journal.append([port.startup(), port.keyPinned(contact), port.messageSent(record), port.delivered(record, 1_200), port.keyChanged(contact, changed), port.shutdown()])
    const lines = await exportLines(journal, {}, new Map([[m.id, { salt: m.salt, body: m.body }]]))
    const report = await verifyExport(lines, nodeLogPrimitives)
    assert.deepEqual(report.kinds, { startup: 1, 'key-pin': 1, 'message-sent': 1, receipt: 1, 'key-change': 1, shutdown: 1, export: 1 })
    assert.equal(report.bodiesDisclosed, 1)
    const keyChange = port.keyChanged(contact, changed)
    assert.equal(keyChange['new-identity'], changed.keyChanged.identityKey)
    assert.equal(keyChange.time, 4_000)
  })
})
