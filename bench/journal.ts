// Journal figures for `npm run bench` (issue 4): appends per second, export and verification of a
// journal of `entries` entries (time and peak RSS), beside raw SHA-256 over the same bytes.
// A realistic mix: every message (with a real signed statement) is followed by its delivered and
// read receipts, so a third of the entries carry an author signature to check.
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { Level } from 'level'
import { directConversationId } from '../crypto/conversation.js'
import { ed25519FromSeed, ed25519Signer } from '../crypto/ed25519.js'
import { toBase64, toBase64Url, utf8 } from '../crypto/encoding.js'
import { ed25519PeerId } from '../crypto/log/peer-id.js'
import { verifyExport } from '../crypto/log/verify-export.js'
import { sha256 } from '../crypto/sha256.js'
import { bodyCommitment, signStatement } from '../crypto/statement-signature.js'
import { messageReceivedEntry, messageSentEntry, receiptEntry, startupEntry, type JournalEntry } from '../core/journal/entry.js'
import { Journal, journalOrigin } from '../core/journal/journal.js'
import { nodeLogPrimitives, parallelLogPrimitives } from '../core/journal/primitives.js'
import { readLines } from '../core/journal/read-lines.js'

export interface JournalBenchOptions { entries?: number, batch?: number, singleAppends?: number, log?: (line: string) => void }

export interface JournalBenchFigures {
  entries: number
  fileMiB: number
  singleAppendsPerSecond: number
  batchedAppendsPerSecond: number
  exportSeconds: number
  exportPeakRssMiB: number
  exportStartRssMiB: number
  /** `causette log verify`: author signatures on worker threads (one per core) */
  verifySeconds: number
  verifyPeakRssMiB: number
  verifyStartRssMiB: number
  signaturesChecked: number
  /** everything on one thread */
  verifySingleThreadSeconds: number
  /** of verifySingleThreadSeconds: inside Ed25519 verification of the author signatures */
  verifyEd25519Seconds: number
  sha256FileSeconds: number
  sha256PerLeafSeconds: number
  verifyOverSha256: number
  /** the one-thread verification without the time inside Ed25519, over SHA-256 alone */
  verifyWithoutEd25519OverSha256: number
}

const me = ed25519FromSeed(new Uint8Array(32).fill(11))
const peer = ed25519FromSeed(new Uint8Array(32).fill(12))
const signers = [ed25519Signer(me.seed), ed25519Signer(peer.seed)]
const conversation = directConversationId(me.publicKey, peer.publicKey)
const peerId = ed25519PeerId(peer.publicKey)

/** Salt and body are derived from the message id, so the bench keeps no body store in memory. */
function bodyOf (id: string): { salt: Uint8Array, body: Uint8Array } {
  return { salt: sha256(utf8(id)), body: utf8(`message ${id}: a short line of office chat, as most are`) }
}

function entriesFor (n: number): JournalEntry[] {
  const id = toBase64Url(sha256(utf8(`id ${n}`)))
  const { salt, body } = bodyOf(id)
  const sent = n % 2 === 0
  const [author, other] = sent ? [me, peer] : [peer, me]
  const { bytes, signature } = signStatement(signers[sent ? 0 : 1]!, {
    workspace: 'bench', conversation, author: author.publicKey, recipients: [other.publicKey], id, time: 1_700_000_000_000 + n, seq: n + 1, bodyHash: bodyCommitment(salt, body)
  })
  const fields = { time: 1_700_000_000_000 + n, peer: peerId, conversation, id, statement: toBase64(bytes), signature: toBase64(signature) }
  const receipt = (kind: 'delivered' | 'read'): JournalEntry => receiptEntry({ time: fields.time, peer: fields.peer, conversation, receipt: kind, messages: [id] })
  return [sent ? messageSentEntry(fields) : messageReceivedEntry(fields), receipt('delivered'), receipt('read')]
}

/** Runs `task` while sampling RSS; returns its duration, the highest RSS seen and the RSS before. */
async function measure<T> (task: () => Promise<T>): Promise<{ value: T, seconds: number, peakRssMiB: number, startRssMiB: number }> {
  const start = process.memoryUsage.rss()
  let peak = start
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 20)
  const began = process.hrtime.bigint()
  try {
    const value = await task()
    peak = Math.max(peak, process.memoryUsage.rss())
    return { value, seconds: Number(process.hrtime.bigint() - began) / 1e9, peakRssMiB: peak / 2 ** 20, startRssMiB: start / 2 ** 20 }
  } finally {
    clearInterval(timer)
  }
}

async function sha256File (path: string): Promise<void> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  hash.digest()
}

export async function benchJournal (opts: JournalBenchOptions = {}): Promise<JournalBenchFigures> {
  const entries = opts.entries ?? 1_000_000
  const batch = opts.batch ?? 999
  const log = opts.log ?? (() => {})
  const dir = mkdtempSync(join(tmpdir(), 'causette-bench-journal-'))
  const root = new Level<string, string>(join(dir, 'db'))
  try {
    const journal = await Journal.open({ db: root.sublevel('journal'), sign: signers[0]!, publicKey: me.publicKey, origin: journalOrigin(ed25519PeerId(me.publicKey)) })

    const singles = opts.singleAppends ?? 20_000
    const single = await measure(async () => { for (let i = 0; i < singles; i++) await journal.append([startupEntry(i)]) })
    log(`journal: ${singles} single-entry appends (one batch each): ${Math.round(singles / single.seconds)}/s`)

    // Statements are signed up front so that the append figure is the journal's alone.
    let appendSeconds = 0
    for (let n = 0; journal.size < entries - 1; n += batch / 3) {
      const chunk = Array.from({ length: batch / 3 }, (_, k) => entriesFor(n + k)).flat().slice(0, entries - 1 - journal.size)
      const t = process.hrtime.bigint()
      await journal.append(chunk)
      appendSeconds += Number(process.hrtime.bigint() - t) / 1e9
    }
    const batched = Math.round((journal.size - singles) / appendSeconds)
    log(`journal: batched appends (${batch} per batch): ${batched}/s, ${journal.size} entries`)

    const file = join(dir, 'export.txt')
    const exported = await measure(async () => {
      const out = createWriteStream(file)
      for await (const line of journal.export({}, async id => bodyOf(id))) {
        if (!out.write(line + '\n')) await once(out, 'drain')
      }
      out.end()
      await once(out, 'finish')
    })
    const fileMiB = statSync(file).size / 2 ** 20
    log(`journal: export of ${journal.size} entries: ${exported.seconds.toFixed(1)} s, peak RSS ${exported.peakRssMiB.toFixed(0)} MiB (${exported.startRssMiB.toFixed(0)} MiB before), ${fileMiB.toFixed(0)} MiB file`)

    const verified = await measure(async () => await verifyExport(readLines(file), parallelLogPrimitives))
    const signatures = (verified.value.kinds['message-sent'] ?? 0) + (verified.value.kinds['message-received'] ?? 0)
    log(`journal: verification (signatures on worker threads): ${verified.seconds.toFixed(1)} s for ${signatures} author signatures; peak RSS ${verified.peakRssMiB.toFixed(0)} MiB (${verified.startRssMiB.toFixed(0)} MiB before)`)

    // On one thread, with the time spent inside Ed25519 counted apart: it is OpenSSL's, not the format's.
    let ed25519Ns = 0n
    const timed = { ...nodeLogPrimitives, ed25519Verify: (k: Uint8Array, m: Uint8Array, s: Uint8Array) => {
      const t = process.hrtime.bigint()
      try { return nodeLogPrimitives.ed25519Verify(k, m, s) } finally { ed25519Ns += process.hrtime.bigint() - t }
    } }
    const oneThread = await measure(async () => await verifyExport(readLines(file), timed))
    const ed25519Seconds = Number(ed25519Ns) / 1e9
    log(`journal: verification on one thread: ${oneThread.seconds.toFixed(1)} s, of which ${ed25519Seconds.toFixed(1)} s inside Ed25519`)

    const shaFile = await measure(async () => { await sha256File(file) })
    const shaLeaves = await measure(async () => {
      for await (const [, leaf] of journal.leaves(0, journal.size)) createHash('sha256').update(leaf).digest()
    })
    log(`journal: SHA-256 alone over the export file: ${shaFile.seconds.toFixed(2)} s; one SHA-256 per stored leaf (read from LevelDB): ${shaLeaves.seconds.toFixed(2)} s`)

    return {
      entries: journal.size,
      fileMiB,
      singleAppendsPerSecond: Math.round(singles / single.seconds),
      batchedAppendsPerSecond: batched,
      exportSeconds: exported.seconds,
      exportPeakRssMiB: exported.peakRssMiB,
      exportStartRssMiB: exported.startRssMiB,
      verifySeconds: verified.seconds,
      verifyPeakRssMiB: verified.peakRssMiB,
      verifyStartRssMiB: verified.startRssMiB,
      signaturesChecked: signatures,
      verifySingleThreadSeconds: oneThread.seconds,
      verifyEd25519Seconds: ed25519Seconds,
      sha256FileSeconds: shaFile.seconds,
      sha256PerLeafSeconds: shaLeaves.seconds,
      verifyOverSha256: verified.seconds / shaFile.seconds,
      verifyWithoutEd25519OverSha256: (oneThread.seconds - ed25519Seconds) / shaFile.seconds
    }
  } finally {
    await root.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const entries = Number(process.argv[2] ?? 1_000_000)
  console.log(JSON.stringify(await benchJournal({ entries, log: line => console.log(line) }), null, 1))
}
