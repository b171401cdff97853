// The API's view of a search (GET /search): each ranked match with where it was said, by whom, and
// an excerpt around its highlighted words.
import type { SearchHit, SearchQuery, SearchResults } from '../api/schema.js'
import { excerptOf } from '../search/excerpt.js'
import type { RankedMatch } from '../search/ranking.js'
import type { SearchIndex } from '../search/search-index.js'
import type { MessageRecord } from '../store/records.js'
import { nameOf, type ViewContext } from './views.js'
import { authorTagField } from '../names.js'

export interface SearchViewContext {
  views: ViewContext
  /** Channel id → its name (undefined: a channel no longer held). */
  channelNames: () => Promise<Map<string, string>>
}

export async function searchResults (index: SearchIndex, query: SearchQuery, ctx: SearchViewContext): Promise<SearchResults> {
  const outcome = await index.search(query.q, { limit: Number(query.limit ?? 50) })
  const channels = outcome.matches.some(match => match.message.channel !== undefined) ? await ctx.channelNames() : new Map<string, string>()
  return {
    words: outcome.words,
    results: outcome.matches.map(match => hitView(match, ctx.views, channels)),
    indexing: outcome.indexing,
    cut: outcome.cut
  }
}

function hitView (match: RankedMatch<MessageRecord>, views: ViewContext, channels: Map<string, string>): SearchHit {
  const m = match.message
  const excerpt = excerptOf(match.text, match.highlights)
  return {
    id: m.id,
    kind: m.channel !== undefined ? 'channel' : 'direct',
    conversation: m.channel ?? m.peer,
    ...(m.channel !== undefined ? { where: `#${channels.get(m.channel) ?? 'a channel you left'}` } : directWhere(views, m.peer)),
    author: m.author,
    authorName: nameOf(views, m.author),
    ...authorTagField(views.nameTagOf(m.author)),
    direction: m.direction,
    time: m.time,
    ...(m.arrived !== undefined ? { arrived: m.arrived } : {}),
    excerpt: excerpt.text,
    highlights: excerpt.highlights,
    matched: match.matched,
    whole: match.whole
  }
}

/** A 1:1 conversation's name, the colleague's, with their tag when another colleague goes by it too. */
function directWhere (views: ViewContext, peer: string): { where: string, whereTag?: string } {
  const tag = views.nameTagOf(peer)
  return { where: nameOf(views, peer), ...(tag !== undefined ? { whereTag: tag } : {}) }
}
