// Search across all conversations (GET /messages?q=), debounced while typing.
import type { MessageView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'
import { orderOf } from './conversation-order.js'

const DEBOUNCE_MS = 200
const RESULT_LIMIT = 100

export class Search {
  #api: ApiClient
  #query = $state('')
  #results = $state.raw<MessageView[]>([])
  #searching = $state(false)
  #timer: ReturnType<typeof setTimeout> | undefined
  #generation = 0

  constructor (api: ApiClient) {
    this.#api = api
  }

  get query (): string { return this.#query }
  get results (): MessageView[] { return this.#results }
  get searching (): boolean { return this.#searching }
  get active (): boolean { return this.#query.trim() !== '' }

  set query (text: string) {
    this.#query = text
    clearTimeout(this.#timer)
    if (text.trim() === '') {
      this.#results = []
      return
    }
    this.#timer = setTimeout(() => { void this.#run(text.trim()) }, DEBOUNCE_MS)
  }

  async #run (q: string): Promise<void> {
    const generation = ++this.#generation
    this.#searching = true
    try {
      const results = await this.#api.messages({ q, limit: RESULT_LIMIT })
      if (generation === this.#generation) this.#results = [...results].sort((a, b) => orderOf(b) - orderOf(a))
    } finally {
      if (generation === this.#generation) this.#searching = false
    }
  }
}
