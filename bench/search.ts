// Search figures for `npm run bench` (issue 14 item 4): `messages` stored messages (1,000,000 by
// default) of office-like text in a real profile database (values sealed as a node seals them); the
// index built once from them (messages/s); then the time to the first page of results (20, as the
// app asks) for common, rare, accented, prefix and two-word queries, p50 and p99. The baseline is the
// search it replaces: a scan of every message, lower-cased (run once per query kind: it is slow).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newMasterKey } from '../crypto/at-rest.js'
import { SearchIndex } from '../core/search/search-index.js'
import { storedBody } from '../core/messaging/body.js'
import { searchableOf } from '../core/messaging/searchable.js'
import { messageOps, openDatabase, type Database } from '../core/store/database.js'
import type { MessageRecord } from '../core/store/records.js'
import { valueEncryption } from '../core/store/value-encryption.js'
import { latency, round, timeEach, type Latency } from './stats.js'

export interface SearchBenchOptions { messages?: number, runs?: number, log?: (line: string) => void }

export interface SearchBenchFigures {
  messages: number
  storeSeconds: number
  indexBuildPerSecond: number
  words: number
  queries: Record<QueryKind, Latency & { results: number, scanMs: number }>
}

type QueryKind = 'common' | 'rare' | 'accented' | 'prefix' | 'common+rare'

/** Queries by kind: several of each, cycled through the runs. Stored words carry their accents ("réunion"); the accented kind types them without. */
const QUERIES: Record<QueryKind, string[]> = {
  common: ['réunion', 'projet', 'demain', 'merci'],
  rare: ['zanzibar', 'quetzal', 'xylophone', 'kumquat'],
  accented: ['reunion', 'ECOLE', 'signe', 'deja'],
  prefix: ['sign', 'rapp', 'budg', 'ecol'],
  'common+rare': ['projet zanzibar', 'merci quetzal', 'demain xylophone', 'réunion kumquat']
}

const COMMON = ['réunion', 'projet', 'demain', 'merci', 'le', 'la', 'de', 'et', 'pour', 'avec', 'est', 'on', 'je', 'tu', 'nous', 'the', 'and', 'to', 'rapport', 'budget', 'école', 'signé', 'déjà', 'client', 'contrat', 'signature', 'café', 'équipe', 'vendredi', 'lundi']
const RARE = ['zanzibar', 'quetzal', 'xylophone', 'kumquat']
/** In this many messages, one carries a rare word. */
const RARE_ONE_IN = 10_000
const WORDS_PER_MESSAGE = 12
const STORE_BATCH = 2_000

export async function benchSearch (options: SearchBenchOptions = {}): Promise<SearchBenchFigures> {
  const count = options.messages ?? 1_000_000
  const runs = options.runs ?? 100
  const log = options.log ?? (() => {})
  const home = await mkdtemp(join(tmpdir(), 'causette-bench-search-'))
  const db = await openDatabase(home, valueEncryption(newMasterKey()))
  try {
    log(`search: storing ${count.toLocaleString('en-US')} messages`)
    const storeStart = performance.now()
    await storeMessages(db, count)
    const storeSeconds = (performance.now() - storeStart) / 1000
    log('search: building the index from them')
    const buildStart = performance.now()
    const index = await SearchIndex.open({ db, write: async ops => { await db.root.batch(ops) }, text: searchableOf(db) })
    await index.built()
    const indexBuildPerSecond = Math.round(count / ((performance.now() - buildStart) / 1000))
    const words = await countWords(db)
    const queries = {} as SearchBenchFigures['queries']
    for (const kind of Object.keys(QUERIES) as QueryKind[]) {
      log(`search: ${kind} queries`)
      queries[kind] = await measureKind(db, index, QUERIES[kind], runs)
    }
    return { messages: count, storeSeconds: round(storeSeconds, 1), indexBuildPerSecond, words, queries }
  } finally {
    await db.close()
    await rm(home, { recursive: true, force: true })
  }
}

async function measureKind (db: Database, index: SearchIndex, queries: string[], runs: number): Promise<Latency & { results: number, scanMs: number }> {
  let run = 0
  let results = 0
  const samples = await timeEach(runs, async () => {
    const outcome = await index.search(queries[run++ % queries.length]!, { limit: 20 })
    results = Math.max(results, outcome.matches.length)
  })
  const scanStart = performance.now()
  await scanSearch(db, queries[0]!)
  return { ...latency(samples), results, scanMs: Math.round(performance.now() - scanStart) }
}

/** The search this index replaces: every message read and lower-cased (accent-sensitive, whole query as one substring). */
async function scanSearch (db: Database, q: string): Promise<number> {
  const needle = q.toLowerCase()
  let found = 0
  for await (const message of db.messages.values({ reverse: true })) if (storedBody(message.text).text.toLowerCase().includes(needle)) found++
  return found
}

async function countWords (db: Database): Promise<number> {
  let words = 0
  for await (const _ of db.searchWords.keys()) words++
  return words
}

/** Office-like messages: Zipf-weighted common words, a long tail of made-up ones, now and then a rare word; a channel message in four. */
async function storeMessages (db: Database, count: number): Promise<void> {
  const random = seededRandom(14)
  const tail = Array.from({ length: 20_000 }, (_, i) => madeUpWord(i))
  const pick = zipf([...COMMON, ...tail], random)
  const start = Date.now() - count * 1000
  for (let at = 0; at < count; at += STORE_BATCH) {
    const ops = []
    for (let i = at; i < Math.min(count, at + STORE_BATCH); i++) {
      const words = Array.from({ length: WORDS_PER_MESSAGE }, pick)
      if (random() < 1 / RARE_ONE_IN) words[3] = RARE[i % RARE.length]!
      ops.push(...messageOps(db, benchMessage(i, start + i * 1000, words.join(' '))))
    }
    await db.root.batch(ops)
  }
}

function benchMessage (i: number, arrived: number, text: string): MessageRecord {
  const channel = i % 4 === 0 ? `channel-${i % 10}` : undefined
  return {
    id: `bench${String(i).padStart(12, '0')}`,
    conversation: channel !== undefined ? `ch-${channel}` : `dm-${i % 20}`,
    direction: i % 3 === 0 ? 'out' : 'in',
    author: `peer-${i % 20}`,
    peer: `peer-${i % 20}`,
    text: channel !== undefined ? JSON.stringify({ text }) : text,
    salt: '',
    statement: '',
    signature: '',
    time: arrived,
    arrived,
    seq: i + 1,
    state: 'delivered',
    stateTime: arrived,
    stateTimes: {},
    verified: true,
    ...(channel !== undefined ? { channel } : {})
  }
}

const SYLLABLES = ['ba', 'ce', 'di', 'fo', 'gu', 'la', 'me', 'ni', 'po', 'ru', 'sa', 'té', 'vi', 'zo', 'cha', 'tre', 'mon', 'pel']

function madeUpWord (i: number): string {
  let word = ''
  for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length]
  return word
}

/** Picks from `words` with weight 1/rank (Zipf's law, as in natural text). */
function zipf (words: string[], random: () => number): () => string {
  const cumulative: number[] = []
  let total = 0
  for (let rank = 1; rank <= words.length; rank++) cumulative.push(total += 1 / rank)
  return () => {
    const target = random() * total
    let low = 0
    let high = cumulative.length - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if (cumulative[middle]! < target) low = middle + 1
      else high = middle
    }
    return words[low]!
  }
}

/** A small deterministic generator (mulberry32), so every run stores the same messages. */
function seededRandom (seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6D2B79F5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function printSearchFigures (figures: SearchBenchFigures): void {
  console.log(`\nsearch over ${figures.messages.toLocaleString('en-US')} stored messages (${figures.words.toLocaleString('en-US')} distinct words), first page of 20   p50 ms    p99 ms   results   scan (baseline) ms`)
  console.log(`  index build (once, from the stored messages)  ${figures.indexBuildPerSecond.toLocaleString('en-US')} messages/s (storing them took ${figures.storeSeconds} s)`)
  for (const [kind, q] of Object.entries(figures.queries)) {
    console.log(`  ${kind.padEnd(44)} ${q.p50Ms.toFixed(3).padStart(9)} ${q.p99Ms.toFixed(3).padStart(9)} ${String(q.results).padStart(9)} ${q.scanMs.toLocaleString('en-US').padStart(12)}`)
  }
  console.log('  (goal: first results under 100 ms; the baseline scans every message and misses accents)')
}
