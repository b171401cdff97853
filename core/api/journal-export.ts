// GET /api/v1/journal/export: the journal export file, streamed as the node produces it.
import type { JournalExportFilter, NodeApi } from './node-api.js'

const encoder = new TextEncoder()

export async function streamJournalExport (node: NodeApi, filter: JournalExportFilter): Promise<Response> {
  const lines = node.exportJournal(filter)[Symbol.asyncIterator]()
  // Pull the first line before answering: a bad filter (an unknown peer) then becomes a proper
  // error status instead of a 200 whose body stops short.
  let pending: IteratorResult<string> | undefined = await lines.next()
  const body = new ReadableStream<Uint8Array>({
    async pull (controller) {
      const next = pending ?? await lines.next()
      pending = undefined
      if (next.done === true) {
        controller.close()
        return
      }
      controller.enqueue(encoder.encode(next.value.endsWith('\n') ? next.value : `${next.value}\n`))
    },
    async cancel () {
      await lines.return?.()
    }
  })
  const filename = exportFileName(await whose(node, filter), new Date())
  return new Response(body, {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`
    }
  })
}

/** The colleague or the channel the export is about, by name; undefined for the whole journal. */
async function whose (node: NodeApi, filter: JournalExportFilter): Promise<string | undefined> {
  if (filter.with !== undefined) return (await node.peers()).find(p => p.peerId === filter.with)?.name
  if (filter.conversation === undefined) return undefined
  const conversation = (await node.conversations()).find(c => c.id === filter.conversation)
  if (conversation !== undefined) return conversation.name
  return (await node.channels()).find(c => c.conversation === filter.conversation || c.id === filter.conversation)?.name
}

/** "causette-journal-bruno-martin-2026-12-04.txt": whose conversation, the day; ASCII only (a header value). */
export function exportFileName (name: string | undefined, now: Date): string {
  const day = now.toISOString().slice(0, 10)
  const slug = (name ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60)
  return slug === '' ? `causette-journal-${day}.txt` : `causette-journal-${slug}-${day}.txt`
}
