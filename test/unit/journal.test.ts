// The journal on LevelDB: appends, reopen, proofs, checkpoints, atomic batches with the caller's ops.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MemoryLevel } from 'memory-level'
import { fromUtf8, toBase64 } from '../../crypto/encoding.js'
import { consistencyProofRanges, hashLeaf, MerkleAccumulator, verifyConsistency, verifyInclusion } from '../../crypto/merkle.js'
import { openNote, parseCheckpoint } from '../../crypto/signed-note.js'
import { sha256 } from '../../crypto/sha256.js'
import { encodeEntry, startupEntry } from '../../core/journal/entry.js'
import { Journal, journalOrigin } from '../../core/journal/journal.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { alice, bob, levelJournal, memoryJournal } from './journal-fixture.js'

describe('journal', () => {
  it('appends in order and its root is the RFC 9162 root of the stored leaves', async () => {
    const journal = await memoryJournal()
    const acc = new MerkleAccumulator(sha256)
    for (let i = 0; i < 37; i++) {
      const entries = [startupEntry(i), startupEntry(i + 1000)].slice(0, 1 + (i % 2))
      const indexes = await journal.append(entries)
      assert.deepEqual(indexes, entries.map((_, k) => acc.size + k))
      for (const e of entries) acc.push(hashLeaf(sha256, encodeEntry(e)))
      assert.equal(toBase64(journal.root()), toBase64(acc.root()))
    }
  })

  it('gives inclusion and consistency proofs that verify for every leaf and every past size', async () => {
    const journal = await memoryJournal()
    const roots = [await journal.rootAt(0)]
    for (let i = 0; i < 21; i++) {
      await journal.append([startupEntry(i)])
      roots.push(journal.root())
    }
    for (let n = 1; n <= 21; n++) {
      assert.equal(toBase64(await journal.rootAt(n)), toBase64(roots[n]!))
      for (let i = 0; i < n; i++) {
        const proof = await journal.inclusionProof(i, n)
        assert.ok(verifyInclusion(sha256, i, n, hashLeaf(sha256, encodeEntry(startupEntry(i))), proof, roots[n]!), `${i} in ${n}`)
      }
      for (let m = 0; m <= n; m++) {
        assert.ok(verifyConsistency(sha256, m, n, await journal.consistencyProof(m, n), roots[m]!, roots[n]!), `${m} -> ${n}`)
        assert.equal(consistencyProofRanges(m, n).length, (await journal.consistencyProof(m, n)).length)
      }
    }
  })

  it('serialises concurrent appends', async () => {
    const journal = await memoryJournal()
    const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => await journal.append([startupEntry(i)])))
    assert.deepEqual(results.flat().sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i))
    assert.equal(journal.size, 50)
  })

  it('commits the caller\'s operations on other sublevels in the same batch', async () => {
    const db = new MemoryLevel<string, string>()
    const messages = db.sublevel<string, unknown>('messages', { valueEncoding: 'json' })
    const journal = await Journal.open({ db: db.sublevel('journal'), sign: alice.sign, publicKey: alice.keys.publicKey, origin: journalOrigin(alice.peerId) })
    await journal.append([startupEntry(1)], [{ type: 'put', sublevel: messages, key: 'm1', value: { text: 'hi' } }])
    assert.deepEqual(await messages.get('m1'), { text: 'hi' })
    await assert.rejects(journal.append([startupEntry(2)], [{ type: 'put', key: 'stray', value: 'x' }]), { code: 'JOURNAL_BAD_OP' })
    await assert.rejects(journal.append([{ kind: 'startup', time: 1.5 }]), { code: 'BAD_JOURNAL_ENTRY' })
    await assert.rejects(journal.append([{ ...startupEntry(3), note: 'caf\u00e9' }]), { code: 'BAD_JOURNAL_ENTRY' })
    assert.equal(journal.size, 1)
    // A batch LevelDB refuses leaves the journal where it was.
    await assert.rejects(journal.append([startupEntry(4)], [{ type: 'put', sublevel: messages, key: 'm2', value: undefined }]))
    assert.equal(journal.size, 1)
    await journal.append([startupEntry(5)])
    assert.equal(journal.size, 2)
    assert.ok(await journal.matchesLastCheckpoint())
  })

  it('signs checkpoints that verify, once per size, and refuses to sign over a damaged store', async () => {
    const db = new MemoryLevel<string, string>()
    const sub = db.sublevel('journal')
    const journal = await Journal.open({ db: sub, sign: alice.sign, publicKey: alice.keys.publicKey, origin: journalOrigin(alice.peerId) })
    for (let i = 0; i < 5; i++) await journal.append([startupEntry(i)])
    const note = await journal.checkpoint()
    const checkpoint = parseCheckpoint(openNote(nodeLogPrimitives, note, journal.key))
    assert.equal(checkpoint.size, 5)
    assert.equal(toBase64(checkpoint.root), toBase64(journal.root()))
    assert.equal(await journal.checkpoint(), note)
    await journal.append([startupEntry(5)])
    const later = parseCheckpoint(openNote(nodeLogPrimitives, await journal.checkpoint(), journal.key))
    assert.equal(later.size, 6)
    // Damage a stored subtree hash that the last checkpoint depends on.
    const nodes = sub.sublevel<string, Uint8Array>('node', { keyEncoding: 'utf8', valueEncoding: 'view' })
    await nodes.put('02000000000000', new Uint8Array(32))
    await journal.append([startupEntry(6)])
    await assert.rejects(journal.checkpoint(), { code: 'JOURNAL_CORRUPT' })
    assert.equal(await journal.matchesLastCheckpoint(), false)
    // A store rolled back behind its last checkpoint (leaves lost) is refused too.
    const leaves = sub.sublevel<string, Uint8Array>('leaf', { keyEncoding: 'utf8', valueEncoding: 'view' })
    await leaves.clear({ gte: '000000000004' })
    const reopened = await Journal.open({ db: sub, sign: alice.sign, publicKey: alice.keys.publicKey, origin: journalOrigin(alice.peerId) })
    assert.equal(reopened.size, 4)
    await assert.rejects(reopened.checkpoint(), { code: 'JOURNAL_CORRUPT', message: /fewer than/ })
  })

  it('refuses an origin that is not the journal of its key\'s PeerId', async () => {
    const db = new MemoryLevel<string, string>()
    await assert.rejects(Journal.open({ db: db.sublevel('journal'), sign: alice.sign, publicKey: alice.keys.publicKey, origin: journalOrigin(bob.peerId) }), { code: 'JOURNAL_BAD_ORIGIN' })
    await assert.rejects(Journal.open({ db: db.sublevel('journal'), sign: alice.sign, publicKey: alice.keys.publicKey, origin: 'has space' }), { code: 'BAD_SIGNED_NOTE' })
  })

  it('reopens a real LevelDB with the same size, root and checkpoint, and keeps appending', async () => {
    const first = await levelJournal()
    for (let i = 0; i < 300; i++) await first.journal.append([startupEntry(i)])
    const root = toBase64(first.journal.root())
    const note = await first.journal.checkpoint()
    await first.close(false)
    const again = await levelJournal(first.dir)
    try {
      assert.equal(again.journal.size, 300)
      assert.equal(toBase64(again.journal.root()), root)
      assert.equal(await again.journal.checkpoint(), note)
      await again.journal.append([startupEntry(300)])
      const acc = new MerkleAccumulator(sha256)
      for (let i = 0; i <= 300; i++) acc.push(hashLeaf(sha256, encodeEntry(startupEntry(i))))
      assert.equal(toBase64(again.journal.root()), toBase64(acc.root()))
      let count = 0
      for await (const [index, leaf] of again.journal.leaves(0, 301)) {
        assert.equal(fromUtf8(leaf), `{"kind":"startup","time":${index}}`)
        count++
      }
      assert.equal(count, 301)
    } finally {
      await again.close()
    }
  })
})
