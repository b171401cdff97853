// GET /api/v1/journal/export: the journal export file, streamed as the node produces it.
import type { JournalExportFilter, NodeApi } from '../node/node-api.js'

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
  const day = new Date().toISOString().slice(0, 10)
  return new Response(body, {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="causette-journal-${day}.txt"`
    }
  })
}
