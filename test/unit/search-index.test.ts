// The search index on a real LevelDB (core/search/search-index.ts): what is stored is found, by its
// words and their accent-free forms; removal; the build of a profile that has no index; pages around
// a message (core/store/conversation-page.ts).
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import fc from 'fast-check'
import { newMasterKey } from '../../crypto/at-rest.js'
import { searchableOf } from '../../core/messaging/searchable.js'
import { SearchIndex } from '../../core/search/search-index.js'
import { normaliseWord } from '../../core/search/words.js'
import type { BatchOp } from '../../core/store/batch.js'
import { conversationPageAfter, conversationPageAround } from '../../core/store/conversation-page.js'
import { messageOps, openDatabase, type Database } from '../../core/store/database.js'
import type { MessageRecord } from '../../core/store/records.js'
import { valueEncryption } from '../../core/store/value-encryption.js'

async function freshDatabase (t: TestContext): Promise<{ db: Database, home: string, write: (ops: BatchOp[]) => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'causette-search-'))
  const db = await openDatabase(home, valueEncryption(newMasterKey()))
  t.after(async () => { await db.close().catch(() => {}); await rm(home, { recursive: true, force: true }) })
  return { db, home, write: async ops => { await db.root.batch(ops) } }
}

let counter = 0
function record (text: string, options: { conversation?: string, channel?: string, arrived?: number } = {}): MessageRecord {
  counter++
  const arrived = options.arrived ?? 1_000_000 + counter
  return {
    id: `m${String(counter).padStart(8, '0')}`,
    conversation: options.conversation ?? 'c1',
    direction: 'in',
    author: 'bruno',
    peer: 'bruno',
    text: options.channel !== undefined ? JSON.stringify({ text }) : text,
    salt: '',
    statement: '',
    signature: '',
    time: arrived,
    arrived,
    seq: counter,
    state: 'delivered',
    stateTime: arrived,
    stateTimes: {},
    verified: true,
    ...(options.channel !== undefined ? { channel: options.channel } : {})
  }
}

async function store (db: Database, index: SearchIndex | undefined, messages: MessageRecord[]): Promise<void> {
  await db.root.batch(messages.flatMap(message => [...messageOps(db, message), ...(index?.indexOps(message) ?? [])]))
}

const ids = (outcome: { matches: Array<{ message: MessageRecord }> }): string[] => outcome.matches.map(match => match.message.id)

test('a 1:1 and a channel message are found by a word, its accent-free form, its capitals and its start; the keys name no word', async (t) => {
  const { db, write } = await freshDatabase(t)
  const index = await SearchIndex.open({ db, write, text: searchableOf(db) })
  await index.built()
  const direct = record('Le contrat est signé.')
  const channel = record("L'ÉCOLE ferme; signature demain", { conversation: 'ch1', channel: 'channel-1' })
  await store(db, index, [direct, channel])
  assert.deepEqual(ids(await index.search('signe', { limit: 10 })), [direct.id])
  assert.deepEqual(ids(await index.search('SIGNÉ', { limit: 10 })), [direct.id])
  assert.deepEqual(ids(await index.search('ecole', { limit: 10 })), [channel.id])
  assert.deepEqual(new Set(ids(await index.search('sign', { limit: 10 }))), new Set([direct.id, channel.id]))
  assert.deepEqual(ids(await index.search('contrat signe', { limit: 10 })), [direct.id])
  assert.deepEqual(ids(await index.search('...', { limit: 10 })), [])
  for await (const key of db.searchPostings.keys()) assert.ok(!/sign|ecole|contrat/.test(key), key)
})

test('property: every stored message holding a word is found by it and by its accent-free form', async (t) => {
  const { db, write } = await freshDatabase(t)
  const index = await SearchIndex.open({ db, write, text: searchableOf(db) })
  const vocabulary = ['signé', 'École', 'café', 'naïve', 'Straße', 'œuvre', 'déjà', 'contrat', 'Zoë', 'ﬁn', 'İstanbul', 'ÅNGSTRÖM']
  let conversation = 0
  await fc.assert(fc.asyncProperty(
    fc.array(fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
    fc.constantFrom(...vocabulary),
    fc.boolean(),
    async (texts, word, inChannel) => {
      conversation++
      const messages = texts.map(words => record(words.join(' '), { conversation: `p${conversation}`, ...(inChannel ? { channel: `ch${conversation}` } : {}) }))
      await store(db, index, messages)
      const holding = messages.filter((_, at) => texts[at].includes(word)).map(message => message.id)
      const accentFree = word.normalize('NFKD').replace(/\p{M}/gu, '')
      for (const query of [word, accentFree, normaliseWord(word)]) {
        const found = new Set(ids(await index.search(query, { limit: 100 })))
        for (const id of holding) assert.ok(found.has(id), `"${query}" misses a message holding "${word}"`)
      }
    }), { numRuns: 40 })
})

test('a removed message leaves the index; an edited one is found by its new words only', async (t) => {
  const { db, write } = await freshDatabase(t)
  const index = await SearchIndex.open({ db, write, text: searchableOf(db) })
  const kept = record('budget validé')
  const removed = record('budget refusé')
  await store(db, index, [kept, removed])
  await write(index.removeOps(removed))
  assert.deepEqual(ids(await index.search('budget', { limit: 10 })), [kept.id])
  const edited = { ...kept, text: 'budget reporté' }
  await write([...index.removeOps(kept), ...index.indexOps(edited), ...messageOps(db, edited)])
  assert.deepEqual(ids(await index.search('valide', { limit: 10 })), [])
  assert.deepEqual(ids(await index.search('reporte', { limit: 10 })), [kept.id])
})

test('an edit, stored as a message of its own, finds the message by its new words only; a deletion takes it out of the results', async (t) => {
  const { db, write } = await freshDatabase(t)
  const index = await SearchIndex.open({ db, write, text: searchableOf(db) })
  // Bodies name messages by real ids (43 base64url characters): a body that does not parse is plain text.
  const messageId = (n: number): string => `${'A'.repeat(40)}${String(n).padStart(3, '0')}`
  const original = { ...record('{"text":"budget validé"}'), id: messageId(1) }
  const edit = { ...record(`{"text":"budget reporté","edit":"${original.id}"}`), id: messageId(2), amends: original.id }
  const reaction = { ...record(`{"text":"","replyTo":"${original.id}","reaction":"👍"}`), id: messageId(3), amends: original.id }
  await store(db, index, [original, edit, reaction])
  assert.deepEqual(ids(await index.search('valide', { limit: 10 })), [], 'the old words no longer find it')
  assert.deepEqual(ids(await index.search('reporte', { limit: 10 })), [original.id], 'the new words find the message, never the edit')
  assert.deepEqual(ids(await index.search('budget', { limit: 10 })), [original.id], 'once, though two versions hold the word')
  assert.deepEqual(ids(await index.search('text', { limit: 10 })), [], 'the body\'s JSON is not searched')
  const retraction = { ...record(`{"text":"","retract":"${original.id}"}`), id: messageId(4), amends: original.id }
  await store(db, index, [retraction])
  assert.deepEqual(ids(await index.search('budget', { limit: 10 })), [], 'a deleted message is never a result')
})

test('the newest matches come first, and a rare word with a common one is found far back', async (t) => {
  const { db, write } = await freshDatabase(t)
  const index = await SearchIndex.open({ db, write, text: searchableOf(db) })
  const rare = record('réunion mardi zanzibar')
  const common = Array.from({ length: 3000 }, () => record('réunion mardi'))
  await store(db, index, [rare])
  for (let at = 0; at < common.length; at += 500) await store(db, index, common.slice(at, at + 500))
  const newest = await index.search('reunion', { limit: 5 })
  assert.deepEqual(ids(newest), common.slice(-5).reverse().map(message => message.id))
  assert.deepEqual(ids(await index.search('reunion zanzibar', { limit: 5 })).slice(0, 1), [rare.id])
})

test('a profile without an index builds it once from the stored messages, and resumes a build cut short', async (t) => {
  const { db, write } = await freshDatabase(t)
  const old = Array.from({ length: 2500 }, (_, at) => record(at === 7 ? 'le devis signé' : `message ${at}`))
  await store(db, undefined, old)
  // A build cut short: its meta says how far it got, and the messages after are not indexed yet.
  await db.meta.put('search-index', { version: 1, done: false, after: await db.messageIndex.get(old[1999].id) })
  const index = await SearchIndex.open({ db, write, text: searchableOf(db) })
  await index.built()
  assert.equal(index.building, false)
  assert.deepEqual(ids(await index.search('message 2400', { limit: 5 })).slice(0, 1), [old[2400].id])
  assert.deepEqual(ids(await index.search('devis', { limit: 5 })), []) // before the cut: it was indexed then (not here)
  await db.meta.del('search-index')
  const rebuilt = await SearchIndex.open({ db, write, text: searchableOf(db) })
  await rebuilt.built()
  assert.deepEqual(ids(await rebuilt.search('devis signe', { limit: 5 })), [old[7].id])
})

test('the lexicon keeps a bounded number of words: made-up words past it are found whole, not by their start, and not kept', async (t) => {
  // Before the bound, a colleague's 300 messages of made-up words grew a node by 730 MB, reloaded at every start.
  const { db, write } = await freshDatabase(t)
  const index = await SearchIndex.open({ db, write, text: searchableOf(db), lexiconWords: 100 })
  await index.built()
  const flood = record(Array.from({ length: 300 }, (_, at) => `made${at}up`).join(' '))
  const later = record('quarterly forecast')
  await store(db, index, [flood, later])
  let kept = 0
  for await (const _ of db.searchWords.keys()) kept++
  assert.equal(kept, 100)
  assert.deepEqual(ids(await index.search('forecast', { limit: 5 })), [later.id])
  assert.deepEqual(ids(await index.search('forec', { limit: 5 })), [])
  assert.deepEqual(ids(await index.search('made299up', { limit: 5 })), [flood.id])
})

test('a page around a message holds it with messages on both sides, and pages after continue it', async (t) => {
  const { db } = await freshDatabase(t)
  const messages = Array.from({ length: 100 }, (_, at) => record(`line ${at}`, { conversation: 'c9', arrived: 5_000 + at }))
  await store(db, undefined, messages)
  const page = (await conversationPageAround(db, 'c9', messages[30].id, 20))!
  assert.deepEqual(page.map(message => message.text), Array.from({ length: 20 }, (_, at) => `line ${at + 21}`)) // ten up to it, ten after
  const next = await conversationPageAfter(db, 'c9', page.at(-1)!.arrived!, 20)
  assert.equal(next[0].text, 'line 41')
  assert.equal(await conversationPageAround(db, 'other', messages[30].id, 20), undefined)
})
