// The message search index (issue 14 item 4): postings in LevelDB beside the messages, written in
// the same batch as the message they index (indexOps), so a crash never leaves them out of step; a
// word's postings read newest first (postings.ts); query words are matched as words or starts of
// words, accents and case aside (words.ts). A profile without an index builds it once from the stored
// messages, in chunks that each record how far they got (resumable after a crash).
import { wordTagger, type WordTagger } from '../../crypto/search-tag.js'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'
import { arrivalOf } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import { Lexicon } from './lexicon.js'
import { newestCommon } from './matches.js'
import { idOfPlace, postingKey, postingPlace } from './postings.js'
import { queryWords } from './query.js'
import { rankMatches, type Candidate, type RankedMatch } from './ranking.js'
import type { SearchableText } from './searchable-text.js'
import { TermCursor } from './term-cursor.js'
import { distinctWords } from './words.js'

export type SearchDatabase = Pick<Database, 'searchPostings' | 'searchWords' | 'searchKey' | 'messages' | 'messageIndex' | 'meta'>

export interface SearchIndexComponents {
  db: SearchDatabase
  /** Writes one batch (the node's group commit). */
  write: (ops: BatchOp[]) => Promise<void>
  /** What a stored message is searched by (the body format and its amendments are messaging's). */
  text: SearchableText
  log?: (message: string, error?: unknown) => void
  /** Words the lexicon keeps at most (default MAX_LEXICON_WORDS). */
  lexiconWords?: number
}

export interface SearchOptions {
  limit: number
}

export interface SearchOutcome {
  /** The query's words as searched (normalised). */
  words: string[]
  matches: Array<RankedMatch<MessageRecord>>
  /** The index is still being built from the stored messages: older ones may be missing. */
  indexing: boolean
  /** The work bound stopped the search before every posting was read: older matches may exist. */
  cut: boolean
}

/** Where the one-time build stands (`meta` sub-database). */
const BUILD_META = 'search-index'
const BUILD_VERSION = 1
interface BuildState { version: number, done: boolean, after?: string }
const BUILD_CHUNK = 1000
/** How many matches the ranking looks at beyond the page asked for. */
const RANK_POOL_FACTOR = 2

export class SearchIndex {
  #components: SearchIndexComponents
  #tag: WordTagger
  #lexicon: Lexicon
  /** The known words, read from the sealed sub-database after start (not before the node answers). */
  #lexiconLoaded: Promise<void> = Promise.resolve()
  #building: Promise<void> | undefined
  #stopping = false

  private constructor (components: SearchIndexComponents) {
    this.#components = components
    this.#tag = cachedTags(wordTagger(components.db.searchKey))
    this.#lexicon = new Lexicon(components.lexiconWords)
  }

  /**
   * Starts loading the known words and, if it is not done, the one-time build, both in the
   * background: a search waits for the words; a message indexed meanwhile writes its words again.
   */
  static async open (components: SearchIndexComponents): Promise<SearchIndex> {
    const index = new SearchIndex(components)
    const state = await index.#buildState()
    index.#lexiconLoaded = index.#loadLexicon()
    if (!state.done) index.#building = index.#lexiconLoaded.then(async () => { await index.#build(state.after) }).finally(() => { index.#building = undefined })
    return index
  }

  async #loadLexicon (): Promise<void> {
    try {
      for await (const word of this.#components.db.searchWords.values()) {
        if (this.#stopping || this.#lexicon.full) return
        this.#lexicon.add(word)
      }
    } catch (error) {
      this.#components.log?.('search index: the known words could not be read; a word\'s start finds only words written since', error)
    }
  }

  /** Whether the one-time build is under way. */
  get building (): boolean { return this.#building !== undefined }

  /** Resolves once the one-time build is done (at once when it is). */
  async built (): Promise<void> { await this.#building }

  /** Stops the build (it resumes at the next start) and waits for its last chunk. */
  async close (): Promise<void> {
    this.#stopping = true
    await this.#lexiconLoaded
    await this.#building?.catch(() => {})
  }

  /**
   * The writes that index `message`: put them in the batch that stores it. A word new to the lexicon
   * is written to it here; should the batch fail, the word still finds itself (a query word always
   * stands for itself), only a start of it misses it until the word comes again after a restart.
   */
  indexOps (message: MessageRecord): BatchOp[] {
    const indexed = this.#components.text.indexed(message)
    if (indexed === undefined) return []
    const place = postingPlace(arrivalOf(message), indexed.id)
    return distinctWords(indexed.text).flatMap(word => {
      const tag = this.#tag(word)
      const ops: BatchOp[] = [{ type: 'put', sublevel: this.#components.db.searchPostings, key: postingKey(tag, place), value: '' }]
      // A word new to a full lexicon is not kept: it is found whole, not by its start.
      if (this.#lexicon.add(word)) {
        ops.push({ type: 'put', sublevel: this.#components.db.searchWords, key: tag, value: word })
      }
      return ops
    })
  }

  /**
   * The writes that take `message` out of the index (deleted; or edited, before indexOps of the new
   * version in the same batch): `message` as it was indexed, its old text.
   */
  removeOps (message: MessageRecord): BatchOp[] {
    const indexed = this.#components.text.indexed(message)
    if (indexed === undefined) return []
    const place = postingPlace(arrivalOf(message), indexed.id)
    return distinctWords(indexed.text).map(word => ({ type: 'del', sublevel: this.#components.db.searchPostings, key: postingKey(this.#tag(word), place) }))
  }

  /** The best `limit` messages for `q` (ranking.ts), read from the newest postings first. */
  async search (q: string, options: SearchOptions): Promise<SearchOutcome> {
    const words = queryWords(q)
    if (words.length === 0) return { words, matches: [], indexing: this.building, cut: false }
    await this.#lexiconLoaded
    const tags = words.map(word => [...new Set([word, ...this.#lexicon.expand(word)])].map(this.#tag))
    const pool = options.limit * RANK_POOL_FACTOR
    const common = await this.#withCursors(tags, async cursors => await newestCommon(cursors, pool))
    const places = [...common.places]
    // Too few with every word: the newest with any of them follow (ranked after).
    if (places.length < options.limit && words.length > 1) {
      for (const wordTags of tags) places.push(...(await this.#withCursors([wordTags], async cursors => await newestCommon(cursors, options.limit))).places)
    }
    const candidates = await this.#load([...new Set(places)])
    return { words, matches: rankMatches(words, candidates).slice(0, options.limit), indexing: this.building, cut: common.cut }
  }

  async #withCursors<T> (tags: string[][], use: (cursors: TermCursor[]) => Promise<T>): Promise<T> {
    const cursors = await Promise.all(tags.map(async wordTags => await TermCursor.open(this.#components.db.searchPostings, wordTags)))
    try {
      return await use(cursors)
    } finally {
      await Promise.all(cursors.map(async cursor => { await cursor.close() }))
    }
  }

  /**
   * The stored messages of `places` with the text they show now, each once (an edited message has a
   * place for each version); one no longer stored, or deleted, is left out.
   */
  async #load (places: string[]): Promise<Array<Candidate<MessageRecord>>> {
    const seen = new Set<string>()
    const firstPlaces: string[] = []
    for (const place of places) {
      if (seen.has(idOfPlace(place))) continue
      seen.add(idOfPlace(place))
      firstPlaces.push(place)
    }
    const keys = await this.#components.db.messageIndex.getMany(firstPlaces.map(idOfPlace))
    const records = await this.#components.db.messages.getMany(keys.map(key => key ?? ''))
    const candidates = await Promise.all(firstPlaces.map(async (place, at) => {
      const message = keys[at] === undefined ? undefined : records[at]
      const text = message === undefined ? undefined : await this.#components.text.current(message)
      return message === undefined || text === undefined ? undefined : { message, text, place }
    }))
    return candidates.filter(candidate => candidate !== undefined)
  }

  async #buildState (): Promise<BuildState> {
    const state = await this.#components.db.meta.get(BUILD_META) as BuildState | undefined
    return state?.version === BUILD_VERSION ? state : { version: BUILD_VERSION, done: false }
  }

  /** Indexes the stored messages after `after` (a message key), a chunk per batch with where it got to. */
  async #build (after: string | undefined): Promise<void> {
    let chunk: MessageRecord[] = []
    let last = after
    try {
      for await (const [key, message] of this.#components.db.messages.iterator(after === undefined ? {} : { gt: after })) {
        if (this.#stopping) return
        chunk.push(message)
        last = key
        if (chunk.length === BUILD_CHUNK) {
          await this.#writeChunk(chunk, { version: BUILD_VERSION, done: false, after: last })
          chunk = []
        }
      }
      await this.#writeChunk(chunk, { version: BUILD_VERSION, done: true })
    } catch (error) {
      this.#components.log?.('search index: the build stopped; it resumes at the next start', error)
    }
  }

  async #writeChunk (messages: MessageRecord[], state: BuildState): Promise<void> {
    await this.#components.write([...messages.flatMap(message => this.indexOps(message)), { type: 'put', sublevel: this.#components.db.meta, key: BUILD_META, value: state }])
  }
}

/** Most words come again and again: their tags are kept (an HMAC is most of the cost of indexing a word). */
const TAG_CACHE_WORDS = 100_000

function cachedTags (tag: WordTagger): WordTagger {
  let cache = new Map<string, string>()
  return word => {
    let known = cache.get(word)
    if (known === undefined) {
      if (cache.size >= TAG_CACHE_WORDS) cache = new Map()
      known = tag(word)
      cache.set(word, known)
    }
    return known
  }
}
