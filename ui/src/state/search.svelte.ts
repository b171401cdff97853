// Search across every 1:1 conversation and channel (GET /search), debounced while typing. The node
// ranks the results (core/search/ranking.ts) and marks the matched words in each excerpt.
import type { SearchHit } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'
import { ApiRequestError } from '../api/request-error.js'

const DEBOUNCE_MS = 150
const RESULT_LIMIT = 50

export class Search {
  #api: ApiClient
  #query = $state('')
  #results = $state.raw<SearchHit[]>([])
  #searching = $state(false)
  #error = $state<string>()
  #indexing = $state(false)
  #timer: ReturnType<typeof setTimeout> | undefined
  #generation = 0

  constructor (api: ApiClient) {
    this.#api = api
  }

  get query (): string { return this.#query }
  get results (): SearchHit[] { return this.#results }
  get searching (): boolean { return this.#searching }
  /** Why the last search was refused (a query too long), in words for the user. */
  get error (): string | undefined { return this.#error }
  /** The node is still building its index: older messages may be missing. */
  get indexing (): boolean { return this.#indexing }
  get active (): boolean { return this.#query.trim() !== '' }

  set query (text: string) {
    this.#query = text
    clearTimeout(this.#timer)
    if (text.trim() === '') {
      this.#generation++
      this.#results = []
      this.#error = undefined
      this.#searching = false
      return
    }
    this.#searching = true
    this.#timer = setTimeout(() => { void this.#run(text.trim()) }, DEBOUNCE_MS)
  }

  async #run (q: string): Promise<void> {
    const generation = ++this.#generation
    try {
      const found = await this.#api.search(q, RESULT_LIMIT)
      if (generation !== this.#generation) return
      this.#results = found.results
      this.#indexing = found.indexing
      this.#error = undefined
    } catch (error) {
      if (generation !== this.#generation) return
      this.#results = []
      this.#error = error instanceof ApiRequestError ? error.message : 'the search failed'
    } finally {
      if (generation === this.#generation) this.#searching = false
    }
  }
}
