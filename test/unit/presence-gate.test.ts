// The notification gate over a real profile database (sealed values, as a node opens it): what
// it notifies, holds and releases; what is held and the digests not dismissed survive a reopen;
// releasing is one batch; reading a conversation takes its lines out of the digests.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import type { DigestView, MessageView } from '../../core/api/schema.js'
import { GateStore } from '../../core/presence/gate-store.js'
import { MAX_HELD_NOTIFICATIONS } from '../../core/presence/limits.js'
import { NotificationGate } from '../../core/presence/notification-gate.js'
import { openDatabase, type Database } from '../../core/store/database.js'
import { valueEncryption } from '../../core/store/value-encryption.js'
import { randomBytes } from '../../crypto/random.js'

const message = (id: string, conversation: string, urgent?: string): MessageView => ({
  id, conversation, direction: 'in', author: `author-${conversation}`, authorName: conversation, peer: 'p', text: 't', time: Number(id), seq: 1,
  state: 'delivered', stateTime: 1, stateTimes: {}, verified: true, ...(urgent !== undefined ? { urgent } : {})
})

interface Opened { gate: NotificationGate, store: GateStore, db: Database, digests: DigestView[], notified: string[], holding: Set<string>, focusing: Set<string> }

/** Our PeerId in these tests: a message mentioning it is a mention of us. */
const ME = '12D3KooWMe111111111111111111111111111111111111111'

/** A profile database in a temporary directory, opened (and reopened) with one master key. */
async function profile (t: TestContext): Promise<(holding?: string[], focusing?: string[]) => Promise<Opened>> {
  const home = await mkdtemp(join(tmpdir(), 'causette-gate-'))
  const encryption = valueEncryption(randomBytes(32))
  let open: Opened | undefined
  const close = async (): Promise<void> => { await open?.store.flushed(); await open?.db.close() }
  t.after(async () => { await close(); await rm(home, { recursive: true, force: true }) })
  return async (holding = [], focusing = []) => {
    await close()
    const db = await openDatabase(home, encryption)
    const held = new Set(holding)
    const focused = new Set(focusing)
    const digests: DigestView[] = []
    const store = new GateStore(db, (format, ...args) => { throw new Error(`${format} ${String(args)}`) })
    const gate = await NotificationGate.open({ holds: c => held.has(c) || focused.has(c), focused: c => focused.has(c), me: ME, digest: d => digests.push(d), store, now: () => 1_000 })
    open = { gate, store, db, digests, notified: [], holding: held, focusing: focused }
    return open
  }
}

const incoming = (o: Opened, m: MessageView): string => o.gate.incoming(m, () => o.notified.push(m.id))

describe('notification gate', () => {
  it('notifies, holds, lets urgent through, and releases one digest per end of hold', async (t) => {
    const o = await (await profile(t))(['a', 'b'])
    assert.deepEqual([message('1', 'a'), message('2', 'a'), message('3', 'b'), message('4', 'c'), message('5', 'a', 'server down'), { ...message('6', 'c'), direction: 'out' as const }].map(m => incoming(o, m)),
      ['held', 'held', 'held', 'notified', 'notified', 'ignored'])
    assert.deepEqual(o.notified, ['4', '5'])
    o.gate.release()
    assert.equal(o.digests.length, 0)
    o.holding.delete('a')
    o.gate.release()
    assert.deepEqual(o.digests.map(d => ({ total: d.total, from: d.from.map(f => [f.name, f.count, f.messages]) })), [{ total: 2, from: [['a', 2, ['1', '2']]] }])
    o.holding.clear()
    o.gate.release()
    o.gate.release()
    assert.equal(o.digests.length, 2)
    assert.equal(o.gate.held, 0)
    assert.deepEqual(o.gate.digests.map(d => d.id), o.digests.map(d => d.id))
  })

  it('a mention of us notifies through a mute, not through focus unless urgent', async (t) => {
    const o = await (await profile(t))(['muted'], ['focus'])
    const mentioning = (id: string, conversation: string, whom: string, urgent?: string): MessageView => ({ ...message(id, conversation, urgent), text: `look @[Someone](${whom}) here` })
    assert.deepEqual([
      mentioning('1', 'muted', ME), mentioning('2', 'muted', '12D3KooWOther'), message('3', 'muted'),
      mentioning('4', 'focus', ME), mentioning('5', 'focus', ME, 'the client is here'), { ...message('6', 'muted'), text: `@Me, not a token: ${ME}` }
    ].map(m => incoming(o, m)), ['notified', 'held', 'held', 'held', 'notified', 'held'])
    assert.deepEqual(o.notified, ['1', '5'])
  })

  it('what is held survives a reopen and is released once, in one digest', async (t) => {
    const reopen = await profile(t)
    const before = await reopen(['a'])
    incoming(before, message('1', 'a'))
    incoming(before, message('2', 'a'))
    await before.store.flushed()

    const after = await reopen(['a'])
    assert.equal(after.gate.held, 2)
    after.holding.clear()
    after.gate.release()
    after.gate.release()
    assert.deepEqual(after.digests.map(d => d.from.flatMap(f => f.messages)), [['1', '2']])
    await after.store.flushed()

    const again = await reopen()
    assert.equal(again.gate.held, 0, 'released entries are gone from the database')
    again.gate.release()
    assert.equal(again.digests.length, 0, 'no second digest')
    assert.deepEqual(again.gate.digests, after.digests, 'the digest is kept until dismissed')
  })

  it('a dismissed digest is gone after a reopen; an unknown one is NOT_FOUND', async (t) => {
    const reopen = await profile(t)
    const o = await reopen(['a'])
    incoming(o, message('1', 'a'))
    o.holding.clear()
    o.gate.release()
    const [digest] = o.gate.digests
    o.gate.dismiss(digest!.id)
    assert.throws(() => { o.gate.dismiss(digest!.id) }, (e: unknown) => (e as { code?: string }).code === 'NOT_FOUND')
    await o.store.flushed()
    assert.deepEqual((await reopen()).gate.digests, [])
  })

  it('reading a conversation takes its lines out of the digests, and a digest left empty goes', async (t) => {
    const reopen = await profile(t)
    const o = await reopen(['a', 'b'])
    for (const m of [message('1', 'a'), message('2', 'b'), message('3', 'b')]) incoming(o, m)
    o.holding.clear()
    o.gate.release()
    o.gate.seen('b')
    assert.deepEqual(o.gate.digests.map(d => ({ total: d.total, conversations: d.from.map(f => f.conversation) })), [{ total: 1, conversations: ['a'] }])
    o.gate.seen('a')
    assert.deepEqual(o.gate.digests, [])
    await o.store.flushed()
    assert.deepEqual((await reopen()).gate.digests, [])
  })

  it('holds at most MAX_HELD_NOTIFICATIONS, forgetting the oldest, on disk too', async (t) => {
    const reopen = await profile(t)
    const o = await reopen(['a'])
    for (let i = 1; i <= MAX_HELD_NOTIFICATIONS + 3; i++) incoming(o, message(String(i), 'a'))
    assert.equal(o.gate.held, MAX_HELD_NOTIFICATIONS)
    await o.store.flushed()
    const again = await reopen()
    assert.equal(again.gate.held, MAX_HELD_NOTIFICATIONS)
    again.gate.release()
    assert.equal(again.digests[0]!.from[0]!.messages[0], '4', 'the three oldest were forgotten')
  })

  it('a value that does not parse is skipped, not fatal', async (t) => {
    const reopen = await profile(t)
    const o = await reopen()
    await o.db.heldNotifications.put('000000000000001!x', { id: 'x' })
    await o.db.digests.put('000000000000001!y', 'not a digest')
    const again = await reopen()
    assert.equal(again.gate.held, 0)
    assert.deepEqual(again.gate.digests, [])
  })
})
