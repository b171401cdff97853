// The 1 MiB limit on JSON request bodies, over a real socket: a body that declares a longer length
// and a chunked body that grows past it are refused with 413 PAYLOAD_TOO_LARGE; bodies within it,
// with or without a declared length, are served. (core/api/body-limit.ts)
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { startApiServer } from '../../core/api/server.js'
import { FakeNode } from './api-fake-node.js'

const LIMIT = 1024 * 1024

interface Answer { status: number, code: string | undefined }

/** POSTs `body` to /api/v1/messages, chunked (no Content-Length) when `chunked`. */
type Post = (body: string, chunked: boolean) => Promise<Answer>

async function serve (t: TestContext): Promise<Post> {
  const home = await mkdtemp(join(tmpdir(), 'causette-body-limit-'))
  const server = await startApiServer({ node: new FakeNode(), home, port: 0, log: () => {} })
  t.after(async () => { await server.close(); await rm(home, { recursive: true, force: true }) })
  const url = new URL(`${server.url}/api/v1/messages`)
  return async (body, chunked) => await new Promise<Answer>((resolve, reject) => {
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': Buffer.byteLength(body) }) }
    const sent = request(url, { method: 'POST', headers }, response => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        const answer = JSON.parse(Buffer.concat(chunks).toString()) as { error?: { code: string } }
        resolve({ status: response.statusCode!, code: answer.error?.code })
      })
    })
    // The server may answer and close before reading a refused body to its end.
    sent.on('error', reject)
    if (chunked) {
      for (let at = 0; at < body.length; at += 64 * 1024) sent.write(body.slice(at, at + 64 * 1024))
      sent.end()
    } else sent.end(body)
  })
}

const message = (textLength: number): string => JSON.stringify({ to: 'bob', text: 'x'.repeat(textLength) })
const oversized = JSON.stringify({ to: 'bob', text: 'x', padding: 'y'.repeat(LIMIT) })

describe('API: the request body limit', () => {
  it('refuses a body whose Content-Length is over the limit with 413 PAYLOAD_TOO_LARGE', async (t) => {
    const post = await serve(t)
    assert.deepEqual(await post(oversized, false), { status: 413, code: 'PAYLOAD_TOO_LARGE' })
  })

  it('refuses a chunked body that grows past the limit with 413 PAYLOAD_TOO_LARGE', async (t) => {
    const post = await serve(t)
    assert.deepEqual(await post(oversized, true), { status: 413, code: 'PAYLOAD_TOO_LARGE' })
  })

  it('serves bodies within the limit, with a Content-Length or chunked', async (t) => {
    const post = await serve(t)
    assert.deepEqual(await post(message(5), false), { status: 201, code: undefined })
    assert.deepEqual(await post(message(5), true), { status: 201, code: undefined })
  })
})
