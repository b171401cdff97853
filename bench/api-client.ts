// The HTTP client of the messaging bench's API row, in its own process: the integration that calls
// the daemon, whose own CPU is not the daemon's. Reads one JSON line per batch on stdin,
// {"count": n, "concurrency": k}, posts n messages with k requests in flight, and answers one line
// {"ids": [...]} once every POST has been answered.
import { createInterface } from 'node:readline'

interface ClientOptions { url: string, token: string, to: string, text: string }

const options = JSON.parse(process.argv[2] ?? '{}') as ClientOptions

async function post (): Promise<string> {
  const response = await fetch(`${options.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: options.to, text: options.text })
  })
  if (response.status !== 201) throw new Error(`POST /messages answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as { id: string }).id
}

async function batch (count: number, concurrency: number): Promise<string[]> {
  const ids: string[] = []
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < count) ids.push(await post())
  }))
  return ids
}

process.stdout.write(JSON.stringify({ ready: {} }) + '\n')
for await (const line of createInterface({ input: process.stdin })) {
  const { count, concurrency } = JSON.parse(line) as { count: number, concurrency: number }
  process.stdout.write(JSON.stringify({ ids: await batch(count, concurrency) }) + '\n')
}
