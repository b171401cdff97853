// The carrier's own rules, on a real LevelDB: quotas per author and in total, a deposit made twice
// held once, hand-over that drops only what the recipient acknowledged, expiry; and journal entries
// that say who and how much, never what.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { Carrier } from '../../core/messaging/carrier.js'
import { MAX_CARRY_FILES } from '../../core/protocol/limits.js'
import type { Ack, Envelope } from '../../core/protocol/wire.js'
import type { BatchOp } from '../../core/store/batch.js'
import { openDatabase } from '../../core/store/database.js'
import { tempHome } from '../helpers/nodes.js'

type Entry = Record<string, unknown>

/** What the carrier asked of the files port, in order. */
type FileCall = ['carry', string, readonly string[]] | ['release', string, boolean]

async function carrierFor (t: TestContext, answer: (envelope: Envelope) => Ack = () => ({ id: '', errorCode: '', errorMessage: '' })) {
  const fileCalls: FileCall[] = []
  const db = await openDatabase(await tempHome(t))
  t.after(async () => { await db.close() })
  const journal: Entry[] = []
  const handed: Envelope[] = []
  const clock = { now: 1_000 }
  const connected = new Set<string>()
  const components = {
    db,
    commit: { write: async (entries: Entry[], ops: BatchOp[]) => { journal.push(...entries); await db.root.batch(ops as never) } },
    journal: { carried: (c: Entry) => ({ kind: 'carry', ...c }) },
    mayCarryFor: (peer: string) => peer !== 'stranger',
    isConnected: (peer: string) => connected.has(peer),
    send: async (_peer: string, envelope: Envelope) => { handed.push(envelope); return answer(envelope) },
    now: () => clock.now,
    quotas: { perAuthor: { items: 3, bytes: 1_000 }, total: { items: 5, bytes: 10_000 }, ttlMs: 60_000 },
    files: {
      carry: (author: string, ids: readonly string[]) => { fileCalls.push(['carry', author, ids]) },
      release: (id: string, handedOver: boolean) => { fileCalls.push(['release', id, handedOver]) }
    }
  }
  const carrier = await Carrier.load<Entry>(components)
  return { carrier, db, journal, handed, clock, connected, fileCalls, reload: async () => await Carrier.load<Entry>(components) }
}

const bytes = (n: number, size = 10): Uint8Array => new Uint8Array(size).fill(n)

test('quotas per author and in total; a deposit made twice is held once', async (t) => {
  const { carrier, journal, reload } = await carrierFor(t)
  for (let n = 0; n < 3; n++) await carrier.deposit('alice', 'bruno', bytes(n))
  await carrier.deposit('alice', 'bruno', bytes(0)) // again, after a restart of alice, say
  assert.deepEqual(carrier.size, { items: 3, bytes: 30 })
  await assert.rejects(carrier.deposit('alice', 'bruno', bytes(3)), { code: 'CARRY_QUOTA' })
  await assert.rejects(carrier.deposit('dora', 'bruno', bytes(4, 2_000)), { code: 'CARRY_QUOTA' })
  await carrier.deposit('dora', 'bruno', bytes(5))
  await carrier.deposit('dora', 'bruno', bytes(6))
  await assert.rejects(carrier.deposit('dora', 'bruno', bytes(7)), { code: 'CARRY_QUOTA', message: /as much for absent colleagues/ })
  await assert.rejects(carrier.deposit('alice', 'stranger', bytes(8)), { code: 'CARRY_REFUSED' })
  await assert.rejects(carrier.deposit('alice', 'alice', bytes(8)), { code: 'CARRY_REFUSED' })
  assert.deepEqual((await reload()).size, { items: 5, bytes: 50 }, 'the usage is the same after a restart')
  assert.equal(journal.length, 5)
  assert.deepEqual(journal[0], { kind: 'carry', time: 1_000, action: 'held', author: 'alice', recipient: 'bruno', count: 1, bytes: 10 })
})

test('hand-over keeps what may pass later, drops what the recipient has or refuses for good', async (t) => {
  const answers: Record<number, string> = { 0: '', 1: 'E2E_REPLAY', 2: 'KEY_CHANGED', 3: 'E2E_DECRYPT_FAILED' }
  const { carrier, handed, journal, connected } = await carrierFor(t, envelope => ({ id: '', errorCode: answers[envelope.sealed[0]!]!, errorMessage: '' }))
  for (let n = 0; n < 4; n++) await carrier.deposit(n < 3 ? 'alice' : 'dora', 'bruno', bytes(n))
  connected.add('bruno')
  carrier.handOver('bruno')
  await carrier.drain()
  assert.deepEqual(handed.map(e => [e.sealed[0], e.author]), [[0, 'alice'], [1, 'alice'], [2, 'alice'], [3, 'dora']], 'in deposit order, naming the author')
  assert.deepEqual(carrier.size, { items: 1, bytes: 10 }, 'only the one waiting for a key verification stays')
  assert.deepEqual(journal.slice(-2), [
    { kind: 'carry', time: 1_000, action: 'handed-over', author: 'alice', recipient: 'bruno', count: 2, bytes: 20 },
    { kind: 'carry', time: 1_000, action: 'refused', author: 'dora', recipient: 'bruno', count: 1, bytes: 10 }
  ])
})

test('what nobody claims expires, journaled', async (t) => {
  const { carrier, clock, journal } = await carrierFor(t)
  await carrier.deposit('alice', 'bruno', bytes(1))
  clock.now += 30_000
  await carrier.deposit('alice', 'bruno', bytes(2))
  clock.now += 31_000
  assert.equal(await carrier.sweep(), 1)
  assert.deepEqual(carrier.size, { items: 1, bytes: 10 })
  assert.equal(journal.at(-1)!.action, 'expired')
})

const fileId = (n: number): string => n.toString(16).padStart(64, '0')

test('the files a deposit names are carried, resumed after a restart, and let go once no item names them', async (t) => {
  const { carrier, clock, connected, fileCalls, reload, db } = await carrierFor(t, envelope => ({ id: '', errorCode: envelope.sealed[0] === 1 ? '' : 'KEY_CHANGED', errorMessage: '' }))
  await carrier.deposit('alice', 'bruno', bytes(1), [fileId(1), fileId(2), fileId(1)])
  await carrier.deposit('alice', 'bruno', bytes(2), [fileId(2)]) // the same file in a second message
  await carrier.deposit('alice', 'bruno', bytes(3)) // an older node's deposit: no files
  assert.deepEqual(fileCalls, [['carry', 'alice', [fileId(1), fileId(2)]], ['carry', 'alice', [fileId(2)]]], 'named once each, the message without files asks nothing')
  const stored = await db.carried.values().all()
  assert.deepEqual(stored.map(value => value.files), [[fileId(1), fileId(2)], [fileId(2)], undefined])
  fileCalls.length = 0
  await carrier.deposit('alice', 'bruno', bytes(2), [fileId(2)]) // deposited again: held once, its file asked for again (it may have gone since)
  assert.deepEqual(fileCalls, [['carry', 'alice', [fileId(2)]]])
  assert.equal((await db.carried.values().all()).length, 3)

  fileCalls.length = 0
  await reload()
  assert.deepEqual(fileCalls, [['carry', 'alice', [fileId(1), fileId(2)]], ['carry', 'alice', [fileId(2)]]], 'a restart fetches on what was not held whole')

  fileCalls.length = 0
  connected.add('bruno')
  carrier.handOver('bruno') // bruno takes the first message and not yet the others
  await carrier.drain()
  assert.deepEqual(fileCalls, [['release', fileId(1), true]], 'a file handed over is let go as such; one a held item still names is kept')

  clock.now += 61_000
  assert.equal(await carrier.sweep(), 2)
  assert.deepEqual(fileCalls.slice(1), [['release', fileId(2), false]], 'expired: the file goes with its last item')
})

test('a deposit naming more files than a message has, or ids that are not attachment ids, is refused whole', async (t) => {
  const { carrier, fileCalls } = await carrierFor(t)
  const many = Array.from({ length: MAX_CARRY_FILES + 1 }, (_, n) => fileId(n))
  await assert.rejects(carrier.deposit('alice', 'bruno', bytes(1), many), { code: 'BAD_FRAME', message: /at most 20/ })
  await assert.rejects(carrier.deposit('alice', 'bruno', bytes(1), [fileId(1).toUpperCase().replace('0', 'A')]), { code: 'BAD_FRAME', message: /64 lower-case hex/ })
  await assert.rejects(carrier.deposit('alice', 'bruno', bytes(1), ['../../etc/passwd']), { code: 'BAD_FRAME' })
  assert.deepEqual(carrier.size, { items: 0, bytes: 0 })
  assert.deepEqual(fileCalls, [])
  await carrier.deposit('alice', 'bruno', bytes(1), many.slice(0, MAX_CARRY_FILES))
  assert.equal(fileCalls.length, 1)
})
