// The durable write of one message alone, in this process (`npm run bench -- --only store`): what a
// sent message stores in one group commit (its sealed record and id index, its sealed outbox item,
// its conversation, a few search postings, its journal entry), one at a time until each is
// durable (p50/p99), then 64 in flight; and a read of the id right after its write (the receiver's
// replay check). No network: a figure that a busy machine disturbs less than the round trips.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ed25519FromSeed, ed25519Signer } from '../crypto/ed25519.js'
import { toBase64, toBase64Url, utf8 } from '../crypto/encoding.js'
import { ed25519PeerId } from '../crypto/log/peer-id.js'
import { sha256 } from '../crypto/sha256.js'
import { messageSentEntry, type JournalEntry } from '../core/journal/entry.js'
import { Journal, journalOrigin } from '../core/journal/journal.js'
import { lastWriteWins, type BatchOp } from '../core/store/batch.js'
import { messageOps, openDatabase, type Database } from '../core/store/database.js'
import { GroupCommit } from '../core/store/group-commit.js'
import { outboxKey, type MessageRecord } from '../core/store/records.js'
import { valueEncryption } from '../core/store/value-encryption.js'
import { latency, timeEach, type Latency } from './stats.js'

export interface StoreFigures {
  /** One message's write, awaited before the next. */
  write: Latency
  /** A write, then a read of its id (as the receiver's replay check reads it). */
  writeThenRead: Latency
  /** 64 writes in flight. */
  writesPerSecond: number
  /** This thread's CPU time (user + system) per write, 64 in flight: what a busy machine disturbs least. */
  cpuMicrosPerWrite: number
}

const device = ed25519FromSeed(new Uint8Array(32).fill(21))
const peerId = ed25519PeerId(device.publicKey)

function record (n: number): MessageRecord {
  const id = toBase64Url(sha256(utf8(`store bench ${n}`))).slice(0, 22)
  const time = 1_800_000_000_000 + n
  return {
    id, conversation: 'bench-conversation', direction: 'out', author: peerId, peer: peerId, text: 'x'.repeat(100),
    salt: toBase64(new Uint8Array(16)), statement: toBase64(new Uint8Array(180)), signature: toBase64(new Uint8Array(64)),
    time, arrived: time, seq: n, state: 'queued', stateTime: time, stateTimes: { queued: time }, verified: true
  }
}

function writeOf (db: Database, message: MessageRecord): { entries: JournalEntry[], ops: BatchOp[] } {
  return {
    entries: [messageSentEntry({ time: message.time, peer: message.peer, conversation: message.conversation, id: message.id, statement: message.statement, signature: message.signature })],
    ops: [
      ...messageOps(db, message),
      { type: 'put', sublevel: db.outbox, key: outboxKey(message.peer, message.time, message.id), value: { id: message.id, sealed: toBase64(new Uint8Array(300)) } },
      { type: 'put', sublevel: db.conversations, key: message.conversation, value: { id: message.conversation, peer: message.peer, lastSeq: message.seq, lastMessageId: message.id, lastTime: message.time, unread: 0 } },
      ...['office', 'chat', 'lunch'].map(word => ({ type: 'put' as const, sublevel: db.searchPostings, key: `${word}!${message.time}!${message.id}`, value: '' }))
    ]
  }
}

export async function benchStore (opts: { writes?: number, log?: (line: string) => void } = {}): Promise<StoreFigures> {
  const writes = opts.writes ?? 2_000
  const home = await mkdtemp(join(tmpdir(), 'causette-bench-store-'))
  const db = await openDatabase(home, valueEncryption(new Uint8Array(32).fill(3)))
  const journal = await Journal.open({ db: db.journal, sign: ed25519Signer(device.seed), publicKey: device.publicKey, origin: journalOrigin(peerId) })
  const commit = new GroupCommit<JournalEntry, BatchOp>(journal, lastWriteWins)
  let n = 0
  const writeOne = async (): Promise<MessageRecord> => {
    const message = record(n++)
    const { entries, ops } = writeOf(db, message)
    await commit.write(entries, ops)
    return message
  }
  try {
    opts.log?.(`store: ${writes} single writes, then ${writes} with a read, then ${writes * 5} with 64 in flight`)
    await timeEach(writes / 4, async () => { await writeOne() }) // warm-up: compiled code, LevelDB's memtable
    const write = latency(await timeEach(writes, async () => { await writeOne() }))
    const writeThenRead = latency(await timeEach(writes, async () => {
      const message = await writeOne()
      if (await db.messageIndex.get(message.id) === undefined) throw new Error('store bench: a written id is not found')
    }))
    const start = performance.now()
    const cpu = process.cpuUsage()
    let left = writes * 5
    await Promise.all(Array.from({ length: 64 }, async () => { while (left-- > 0) await writeOne() }))
    const used = process.cpuUsage(cpu)
    return {
      write,
      writeThenRead,
      writesPerSecond: Math.round(writes * 5 / ((performance.now() - start) / 1000)),
      cpuMicrosPerWrite: Math.round((used.user + used.system) / (writes * 5))
    }
  } finally {
    await db.close()
    await rm(home, { recursive: true, force: true })
  }
}
