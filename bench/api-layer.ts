// The local API's own cost, without the messaging under it: the real API server over an in-memory
// node (test/unit/api-fake-node.ts), POST /messages from bench/api-client.ts in another process, 16
// in flight, its event stream open as the app keeps it (each message's event is pushed to it);
// prints the daemon's CPU per request for three runs of 5,000 after a warm-up of 3,000.
// Run alone: node --import tsx bench/api-layer.ts
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApiServer } from '../core/api/server.js'
import { FakeNode } from '../test/unit/api-fake-node.js'
import { startApiClient } from './messaging.js'

const REQUESTS = 5_000
const home = await mkdtemp(join(tmpdir(), 'causette-api-layer-'))
const api = await startApiServer({ node: new FakeNode(), home, port: 0, log: () => {} })
const client = await startApiClient({ url: api.url, token: api.token, to: 'bob', text: 'x'.repeat(100) })
try {
  await client.sendBatch(3_000, 16)
  const perRequest: number[] = []
  for (let run = 0; run < 3; run++) {
    const before = process.cpuUsage()
    await client.sendBatch(REQUESTS, 16)
    const used = process.cpuUsage(before)
    perRequest.push(Math.round((used.user + used.system) / REQUESTS))
  }
  console.log(`the API layer alone: daemon CPU per POST /messages ${perRequest.join(', ')} µs (client in its own process)`)
} finally {
  await client.stop()
  await api.close()
  await rm(home, { recursive: true, force: true })
}
