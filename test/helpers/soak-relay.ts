// Runs inside a LAN host's namespace beside a daemon and relays the soak test's HTTP calls to the
// daemon's 127.0.0.1 API, which the test process (in the root namespace) cannot reach. One JSON line
// in per call ({ id, method, path, body? }), one out per answer ({ id, status, body } or, when no
// answer came, { id, failure }). Calls run concurrently over kept-alive connections; one
// long-lived process instead of a CLI process per call is what makes thousands of calls affordable.
// Usage: node --import tsx test/helpers/soak-relay.ts <home>
import { createInterface } from 'node:readline'
import { readApiFile } from '../../core/api/api-file.js'

export interface RelayCall {
  id: number
  method: string
  path: string
  body?: unknown
}

/**
 * `refused`: nothing listened (the daemon is down), so the call certainly had no effect;
 * `broken`: the call may or may not have reached the daemon (killed while answering, timeout).
 */
export type RelayFailure = 'refused' | 'broken'

export type RelayAnswer =
  | { id: number, status: number, body: unknown }
  | { id: number, failure: RelayFailure, message: string }

const CALL_TIMEOUT_MS = 30_000
const home = process.argv[2]
if (home === undefined) throw new Error('usage: soak-relay.ts <home>')

/** The daemon's URL and token, read again after every failure (a restarted daemon rewrites them). */
let api: { url: string, token: string } | undefined

async function relay ({ id, method, path, body }: RelayCall): Promise<RelayAnswer> {
  try {
    api ??= await readApiFile(home!)
    if (api === undefined) return { id, failure: 'refused', message: 'no api.json yet' }
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${api.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS)
    })
    const text = await response.text()
    return { id, status: response.status, body: text === '' ? null : JSON.parse(text) }
  } catch (error) {
    api = undefined
    const code = (error as { cause?: { code?: string } }).cause?.code
    return { id, failure: code === 'ECONNREFUSED' ? 'refused' : 'broken', message: String((error as Error).message) }
  }
}

createInterface({ input: process.stdin }).on('line', line => {
  void relay(JSON.parse(line) as RelayCall).then(answer => { process.stdout.write(JSON.stringify(answer) + '\n') })
})
// The test closes stdin when it is done with this host.
process.stdin.on('end', () => process.exit(0))
