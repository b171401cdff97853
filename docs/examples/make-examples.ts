// Writes the example exports of docs/log-format.md: alice's journal after a short exchange with bob
// and carol, exported whole, then (after one more message) only the conversation with bob.
// Run: node --import tsx docs/examples/make-examples.ts
import { writeFileSync } from 'node:fs'
import { MemoryLevel } from 'memory-level'
import { directConversationId } from '../../crypto/conversation.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { toBase64, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { bodyCommitment, signStatement } from '../../crypto/statement-signature.js'
import { keyPinEntry, messageReceivedEntry, messageSentEntry, receiptEntry, startupEntry } from '../../core/journal/entry.js'
import { Journal, journalOrigin } from '../../core/journal/journal.js'

const person = (seed: number, name: string) => {
  const keys = ed25519FromSeed(new Uint8Array(32).fill(seed))
  return { name, keys, sign: ed25519Signer(keys.seed), peerId: ed25519PeerId(keys.publicKey) }
}
/** Each author numbers its messages in a conversation 1, 2, 3, ... */
const seqs = new Map<string, number>()
const nextSeq = (conversation: string, author: string): number => {
  const seq = (seqs.get(conversation + author) ?? 0) + 1
  seqs.set(conversation + author, seq)
  return seq
}
const alice = person(1, 'Alice')
const bob = person(2, 'Bob')
const carol = person(3, 'Carol')
const bodies = new Map<string, { salt: Uint8Array, body: Uint8Array }>()
const start = Date.parse('2026-11-27T09:00:00Z')

const db = new MemoryLevel<string, string>()
const journal = await Journal.open({ db: db.sublevel('journal'), sign: alice.sign, publicKey: alice.keys.publicKey, origin: journalOrigin(alice.peerId) })

async function say (from: typeof alice, to: typeof alice, text: string, minute: number): Promise<void> {
  const time = start + minute * 60_000
  const salt = new Uint8Array(32).fill(minute)
  const body = utf8(text)
  const id = toBase64Url(new Uint8Array(32).fill(100 + minute))
  const conversation = directConversationId(from.keys.publicKey, to.keys.publicKey)
  const { bytes, signature } = signStatement(from.sign, { workspace: 'acme', conversation, author: from.keys.publicKey, recipients: [to.keys.publicKey], id, time, seq: nextSeq(conversation, from.name), bodyHash: bodyCommitment(salt, body) })
  const fields = { time, conversation, id, statement: toBase64(bytes), signature: toBase64(signature) }
  const other = from === alice ? to : from
  bodies.set(id, { salt, body })
  await journal.append([
    from === alice ? messageSentEntry({ ...fields, peer: to.peerId }) : messageReceivedEntry({ ...fields, peer: from.peerId }),
    receiptEntry({ time: time + 1000, peer: other.peerId, conversation, receipt: from === alice ? 'delivered' : 'read', messages: [id] })
  ])
}

async function write (file: string, filter: Parameters<Journal['export']>[0]): Promise<void> {
  const lines: string[] = []
  for await (const line of journal.export(filter, async id => bodies.get(id))) lines.push(line)
  writeFileSync(new URL(file, import.meta.url), lines.join('\n') + '\n')
}

await journal.append([startupEntry(start)])
await journal.append([keyPinEntry({ time: start + 1, peer: bob.peerId, device: toBase64(bob.keys.publicKey), identity: toBase64(new Uint8Array(32).fill(22)) })])
await say(alice, bob, 'Can you send me the signed quote for the Lyon project?', 1)
await say(bob, alice, 'Sent by mail just now. Total 12 400 EUR excl. VAT.', 2)
await say(alice, carol, 'Bob confirmed 12 400 EUR for Lyon.', 3)
await write('journal-export-full.txt', {})
await say(bob, alice, 'Correction: 12 900 EUR, the scaffolding was missing.', 4)
await write('journal-export-bob.txt', { with: bob.peerId })
