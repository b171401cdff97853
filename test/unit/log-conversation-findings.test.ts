// A journal written before nodes checked a 1:1 message's conversation may hold a colleague's message
// filed in another conversation (docs/log-format.md §5, step 9): the verifiers report it as a
// finding, naming the entry, the author and the conversation, and the file still verifies.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { startupEntry, channelEntryEntry, type JournalEntry } from '../../core/journal/entry.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { channelConversationId, createChannel } from '../../crypto/channel-log.js'
import { directConversationId } from '../../crypto/conversation.js'
import { toBase64, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { describeReport } from '../../crypto/log/describe-report.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { sha256 } from '../../crypto/sha256.js'
import { ed25519Verify } from '../../crypto/ed25519.js'
import { verifyExportText } from '../../ui/src/verifier/verify-file.js'
import { alice, bob, carol, exportLines, memoryJournal, message, populate } from './journal-fixture.js'

type Bodies = Map<string, { salt: Uint8Array, body: Uint8Array }>

const aliceAndBob = directConversationId(alice.keys.publicKey, bob.keys.publicKey)
const madeUp = toBase64Url(sha256(utf8('made up')).subarray(0, 16))

/** alice's journal: her 1:1 conversations with bob and carol, and then what `more` adds. */
async function journalWith (more: JournalEntry[]): Promise<{ journal: Awaited<ReturnType<typeof memoryJournal>>, bodies: Bodies }> {
  const journal = await memoryJournal()
  const bodies: Bodies = new Map()
  await journal.append([startupEntry(999)])
  await populate(journal, 6, bodies)
  if (more.length > 0) await journal.append(more)
  return { journal, bodies }
}

/** carol's words, signed by carol, naming another conversation than hers with alice. */
const slippedIn = message(carol, alice, 'slipped into your talk with bob', 2_000, 100, aliceAndBob).entry
const madeUpOne = message(carol, alice, 'a conversation of its own', 2_001, 101, madeUp).entry

/** A channel of alice and bob: its create and invite entries, and a message of bob's read by alice alone. */
function channelWithOneReader (): { entries: JournalEntry[], message: JournalEntry } {
  const primitives = { sha256, ed25519Verify }
  const signer = { publicKey: alice.keys.publicKey, sign: alice.sign }
  const log = createChannel(primitives, signer, { workspace: toBase64Url(sha256(utf8('acme'))), name: 'lyon', topic: '' }, 1_500)
  const invite = log.append(signer, { kind: 'invite', device: bob.keys.publicKey }, 1_501)
  const entries = [[log.entries()[0]!, 'create'], [invite, 'invite']] as const
  return {
    entries: entries.map(([signed, change]) => channelEntryEntry({ time: 1_502, channel: log.channelId, change, entry: toBase64(signed.bytes), signature: toBase64(signed.signature) })),
    message: message(bob, alice, 'in the channel', 1_503, 200, channelConversationId(log.channelId)).entry
  }
}

describe('journal export: a 1:1 message filed in a conversation not its own', () => {
  it('an honest journal has no such finding, nor has a channel message read by one member', async () => {
    const channel = channelWithOneReader()
    const { journal, bodies } = await journalWith([...channel.entries, channel.message])
    const report = await verifyExport(await exportLines(journal, {}, bodies), nodeLogPrimitives)
    assert.equal(report.conversationFindingsTotal, 0)
    assert.deepEqual(report.conversationFindings, [])
    assert.ok(!describeReport(report).some(line => line.includes('1:1 message')))
  })

  it('a full export reports each one, by entry, author, recipient and conversation, and still verifies', async () => {
    const { journal, bodies } = await journalWith([slippedIn, madeUpOne])
    const report = await verifyExport(await exportLines(journal, {}, bodies), nodeLogPrimitives)
    const carolsOwn = directConversationId(carol.keys.publicKey, alice.keys.publicKey)
    assert.equal(report.conversationFindingsTotal, 2)
    assert.deepEqual(report.conversationFindings.map(f => [f.entry, f.author, f.recipient, f.conversation, f.own]), [
      [13, toBase64(carol.keys.publicKey), toBase64(alice.keys.publicKey), aliceAndBob, carolsOwn],
      [14, toBase64(carol.keys.publicKey), toBase64(alice.keys.publicKey), madeUp, carolsOwn]
    ])
    const described = describeReport(report)
    assert.ok(described.some(line => /warning +2 1:1 message\(s\) filed in a conversation that is not between their author and recipient/.test(line)), described.join('\n'))
    assert.ok(described.some(line => line.includes(`entry 13 (line `) && line.includes(`from ${carol.peerId} to ${alice.peerId} is filed in conversation ${aliceAndBob}, not in theirs (${carolsOwn})`)), described.join('\n'))
  })

  it('a subset reports one only in a conversation its messages show to be another pair\'s: it may leave a channel\'s entries out', async () => {
    const channel = channelWithOneReader()
    const { journal, bodies } = await journalWith([slippedIn, madeUpOne, ...channel.entries, channel.message])
    const ofAliceAndBob = await verifyExport(await exportLines(journal, { conversation: aliceAndBob }, bodies), nodeLogPrimitives)
    assert.deepEqual(ofAliceAndBob.conversationFindings.map(f => f.conversation), [aliceAndBob])
    const ofCarol = await verifyExport(await exportLines(journal, { with: carol.peerId }, bodies), nodeLogPrimitives)
    assert.equal(ofCarol.conversationFindingsTotal, 0) // nothing in it shows that alice and bob's conversation is 1:1
    const ofBob = await verifyExport(await exportLines(journal, { with: bob.peerId }, bodies), nodeLogPrimitives)
    assert.equal(ofBob.conversationFindingsTotal, 0) // the channel message, without its channel's entries
  })

  it('the browser verifier page says it in the same words', async () => {
    const { journal, bodies } = await journalWith([slippedIn])
    const outcome = await verifyExportText((await exportLines(journal, {}, bodies)).join('\n') + '\n')
    assert.equal(outcome.verdict, 'valid')
    if (outcome.verdict !== 'valid') return
    assert.ok(outcome.summary.some(line => /^Warning: 1 1:1 message\(s\) filed in a conversation that is not between their author and recipient/.test(line)), outcome.summary.join('\n'))
    assert.ok(outcome.summary.some(line => line.startsWith(`entry 13 (line `) && line.includes(`is filed in conversation ${aliceAndBob}`)), outcome.summary.join('\n'))
  })
})
