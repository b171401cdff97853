// Test helpers for the journal: real keys, real signed statements, a journal on memory-level or on
// a real `level` database in a temp dir, and an export read back as lines.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { MemoryLevel } from 'memory-level'
import { directConversationId } from '../../crypto/conversation.js'
import { ed25519FromSeed, ed25519Signer, type Ed25519KeyPair } from '../../crypto/ed25519.js'
import { toBase64, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { bodyCommitment, signStatement } from '../../crypto/statement-signature.js'
import { messageReceivedEntry, messageSentEntry, receiptEntry, type JournalEntry } from '../../core/journal/entry.js'
import type { BodyLookup, ExportFilter } from '../../core/journal/export.js'
import { Journal, journalOrigin } from '../../core/journal/journal.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'

export interface Device { name: string, peerId: string, keys: Ed25519KeyPair, sign: (m: Uint8Array) => Uint8Array }

export function device (name: string, seedByte: number): Device {
  const keys = ed25519FromSeed(new Uint8Array(32).fill(seedByte))
  return { name, peerId: ed25519PeerId(keys.publicKey), keys, sign: ed25519Signer(keys.seed) }
}

export const alice = device('alice', 1)
export const bob = device('bob', 2)
export const carol = device('carol', 3)

/**
 * A message entry with a real signed statement, and its body as the node would store it. Its
 * conversation is the 1:1 one of author and other, unless another is named (a channel's, or one a
 * colleague's statement named in a node that did not check it).
 */
export function message (author: Device, other: Device, text: string, time: number, n: number, conversation = directConversationId(author.keys.publicKey, other.keys.publicKey)): { entry: JournalEntry, id: string, salt: Uint8Array, body: Uint8Array } {
  const body = utf8(text)
  const salt = new Uint8Array(32).fill(n % 251)
  const id = toBase64Url(sha256(utf8(`message ${n}`)))
  const { bytes, signature } = signStatement(author.sign, {
    workspace: 'acme', conversation, author: author.keys.publicKey, recipients: [other.keys.publicKey], id, time, seq: n + 1, bodyHash: bodyCommitment(salt, body)
  })
  const fields = { time, conversation, id, statement: toBase64(bytes), signature: toBase64(signature) }
  const entry = author === alice ? messageSentEntry({ ...fields, peer: other.peerId }) : messageReceivedEntry({ ...fields, peer: author.peerId })
  return { entry, id, salt, body }
}

/** alice's journal with a conversation with bob and one with carol, and a receipt per message. */
export async function populate (journal: Journal, count: number, bodies: Map<string, { salt: Uint8Array, body: Uint8Array }>): Promise<void> {
  for (let n = 0; n < count; n++) {
    const other = n % 3 === 2 ? carol : bob
    const m = n % 2 === 0 ? message(alice, other, `hello ${n}`, 1_000 + n, n) : message(other, alice, `reply ${n}`, 1_000 + n, n)
    bodies.set(m.id, { salt: m.salt, body: m.body })
    const receipt = receiptEntry({ time: 1_000 + n, peer: other.peerId, conversation: m.entry.conversation as string, receipt: 'delivered', messages: [m.id] })
    await journal.append([m.entry, receipt])
  }
}

export function memoryJournal (owner = alice): Promise<Journal> {
  const db = new MemoryLevel<string, string>()
  return Journal.open({ db: db.sublevel('journal'), sign: owner.sign, publicKey: owner.keys.publicKey, origin: journalOrigin(owner.peerId) })
}

/** A journal on a real LevelDB in a temp dir; `close` removes the directory. */
export async function levelJournal (dir = mkdtempSync(join(tmpdir(), 'causette-journal-'))): Promise<{ journal: Journal, root: Level<string, string>, dir: string, close: (remove?: boolean) => Promise<void> }> {
  const root = new Level<string, string>(dir)
  await root.open()
  const journal = await Journal.open({ db: root.sublevel('journal'), sign: alice.sign, publicKey: alice.keys.publicKey, origin: journalOrigin(alice.peerId) })
  return {
    journal, root, dir,
    close: async (remove = true) => {
      await root.close()
      if (remove) rmSync(dir, { recursive: true, force: true })
    }
  }
}

export async function exportLines (journal: Journal, filter: ExportFilter, bodies: Map<string, { salt: Uint8Array, body: Uint8Array }>): Promise<string[]> {
  const lookup: BodyLookup = async (id) => bodies.get(id)
  const lines: string[] = []
  for await (const line of journal.export(filter, lookup)) lines.push(line)
  return lines
}
