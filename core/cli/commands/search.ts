// `causette search <words>`: messages of every 1:1 conversation and channel that hold the words
// (accents and case aside, a word or its start), best first, the matched words in brackets.
import { parseCommandArgs } from '../command-args.js'
import type { SearchHit, SearchResults } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { oneLine, relativeTime } from '../format.js'
import { printList } from '../output.js'
import { UsageError } from '../usage.js'

export const searchCommand: Command = {
  name: 'search',
  summary: 'Search every conversation and channel (accents and case aside)',
  usage: 'causette search <words...> [--limit N] [--json]',
  run: async (ctx) => {
    const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { limit: { type: 'string' } }, strict: true, allowPositionals: true })
    if (positionals.length === 0) throw new UsageError('give the words to search for')
    const query = new URLSearchParams({ q: positionals.join(' ') })
    if (values.limit !== undefined) query.set('limit', values.limit)
    const client = await apiClient(ctx.home)
    const found = await client.json<SearchResults>('GET', `/api/v1/search?${query.toString()}`)
    if (found.indexing && !ctx.json) ctx.err('the search index is still being built: older messages may be missing')
    return printList(ctx, found.results, {
      empty: found.words.length === 0 ? 'no words to search for' : 'no messages found',
      header: ['TIME', 'WHERE', 'AUTHOR', 'TEXT'],
      row: hit => [relativeTime(hit.time), hit.where, hit.authorName, marked(hit)]
    })
  }
}

/** The excerpt with its matched words in [brackets]: a terminal has no highlight we can count on. */
function marked (hit: SearchHit): string {
  let text = ''
  let from = 0
  for (const [start, end] of hit.highlights) {
    text += `${hit.excerpt.slice(from, start)}[${hit.excerpt.slice(start, end)}]`
    from = end
  }
  return oneLine(text + hit.excerpt.slice(from))
}
