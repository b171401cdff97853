// A send retried with its sendId sends nothing again (core/messaging/send-once.ts), over the HTTP API
// of real nodes: a retry answers the message stored the first time, a sendId that sent another
// message is refused (409 SEND_ID_REUSED), and a node killed once the message was durable, before
// its client had the answer, answers the retry after its restart: the recipient holds it once.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { describe, it, type TestContext } from 'node:test'
import { startApiServer } from '../../core/api/server.js'
import type { ChannelMessageView, ChannelView, MessageView, NodeStatus, PeerView, StagedFileView } from '../../core/api/schema.js'
import type { CausetteNode } from '../../core/node/node.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'

interface Api { url: string, token: string }
interface Answer { status: number, body: any } // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON answer, read per test

async function call (api: Api, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {})
  })
  return { status: response.status, body: await response.json().catch(() => undefined) }
}

async function startApi (t: TestContext, node: CausetteNode): Promise<Api> {
  const api = await startApiServer({ node, home: node.home, port: 0, uiDir: undefined })
  t.after(async () => { await api.close() })
  return api
}

/** Every message `node` holds from `author`: a duplicate shows as a second message of the same text. */
async function heldFrom (node: CausetteNode, author: string): Promise<MessageView[]> {
  const conversation = (await node.conversations()).find(c => c.peer === author)
  return conversation === undefined ? [] : await node.messages({ conversation: conversation.id, limit: 100 })
}

/** Resolves once every message `api`'s node queued left its outbox (the recipient stored it). */
async function outboxDrained (api: Api): Promise<void> {
  await eventually(async () => ((await call(api, 'GET', '/status')).body as NodeStatus).queued === 0 ? true : undefined, 30_000, 'the outbox to drain')
}

describe('a send retried with its sendId', () => {
  it('answers the stored message and sends nothing again; a sendId reused for another message, or in a channel, is refused', async (t) => {
    const [alice, bruno] = (await workspaceOf(t, ['alice', 'bruno'])).nodes as [CausetteNode, CausetteNode]
    const api = await startApi(t, alice)
    const sendId = 'retry-0123456789abcdef'

    const first = await call(api, 'POST', '/messages', { to: bruno.peerId, text: 'lunch at noon?', sendId })
    assert.equal(first.status, 201, JSON.stringify(first.body))
    const again = await call(api, 'POST', '/messages', { to: bruno.peerId, text: 'lunch at noon?', sendId })
    assert.equal(again.status, 201)
    assert.equal((again.body as MessageView).id, (first.body as MessageView).id)

    // Two at once with a new sendId: the second waits for the first and answers its message.
    const both = await Promise.all([1, 2].map(async () => await call(api, 'POST', '/messages', { to: bruno.peerId, text: 'or at one?', sendId: 'retry-concurrent-0001' })))
    assert.deepEqual(both.map(answer => answer.status), [201, 201])
    assert.equal((both[0]!.body as MessageView).id, (both[1]!.body as MessageView).id)

    for (const other of [{ to: bruno.peerId, text: 'dinner at eight?', sendId }, { to: bruno.peerId, text: 'lunch at noon?', urgent: 'the table is booked', sendId }]) {
      const refused = await call(api, 'POST', '/messages', other)
      assert.equal(refused.status, 409)
      assert.equal(refused.body.error.code, 'SEND_ID_REUSED')
    }
    assert.equal((await call(api, 'POST', '/messages', { to: bruno.peerId, text: 'short id', sendId: 'too-short' })).status, 400)
    const channel = (await call(api, 'POST', '/channels', { name: 'lunch' })).body as ChannelView
    assert.equal((await call(api, 'POST', `/channels/${channel.id}/messages`, { text: 'lunch at noon?', sendId })).body.error.code, 'SEND_ID_REUSED')

    // With a file: the first send took the staged file; the retry finds its message, not "not staged".
    const staged = await fetch(`${api.url}/api/v1/files?name=menu.txt`, { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/octet-stream' }, body: new TextEncoder().encode('soup, bread') })
    const withFile = { to: bruno.peerId, text: 'the menu', attachments: [{ file: ((await staged.json()) as StagedFileView).id }], sendId: 'retry-with-a-file-0001' }
    const filed = [await call(api, 'POST', '/messages', withFile), await call(api, 'POST', '/messages', withFile)]
    assert.deepEqual(filed.map(answer => answer.status), [201, 201], JSON.stringify(filed[1]!.body))
    assert.equal((filed[1]!.body as MessageView).id, (filed[0]!.body as MessageView).id)

    await outboxDrained(api)
    assert.deepEqual((await heldFrom(bruno, alice.peerId)).map(m => m.text).sort(), ['lunch at noon?', 'or at one?', 'the menu'])
    assert.equal((await heldFrom(alice, bruno.peerId)).length, 3)
  })

  it('in a channel alike', async (t) => {
    const [alice, bruno] = (await workspaceOf(t, ['alice', 'bruno'])).nodes as [CausetteNode, CausetteNode]
    const api = await startApi(t, alice)
    const channel = (await call(api, 'POST', '/channels', { name: 'lunch' })).body as ChannelView
    await alice.inviteToChannel(channel.id, [bruno.peerId])
    const sendId = 'channel-retry-0123456789'
    const path = `/channels/${channel.id}/messages`

    const first = await call(api, 'POST', path, { text: 'who is in?', sendId })
    assert.equal(first.status, 201, JSON.stringify(first.body))
    const again = await call(api, 'POST', path, { text: 'who is in?', sendId })
    assert.equal(again.status, 201)
    assert.equal((again.body as ChannelMessageView).id, (first.body as ChannelMessageView).id)
    assert.equal((await call(api, 'POST', path, { text: 'who is in?', replyTo: (first.body as ChannelMessageView).id, sendId })).body.error.code, 'SEND_ID_REUSED')

    await outboxDrained(api)
    assert.deepEqual(((await call(api, 'GET', path)).body as ChannelMessageView[]).map(m => m.text), ['who is in?'])
    assert.deepEqual((await eventually(async () => { const held = await bruno.channelMessages(channel.id); return held.length > 0 ? held : undefined })).map(m => m.text), ['who is in?'])
  })

  it('after the node was killed once the message was durable, before its client read the answer: the recipient holds it once', async (t) => {
    const bruno = await testNode(t, { name: 'bruno' })
    const home = await tempHome(t)
    const sendId = 'killed-0123456789abcdef'
    const request = { to: bruno.peerId, text: 'the report is ready', sendId }

    const daemon = await spawnApiNode(t, home, [addressOf(bruno)])
    await eventually(async () => ((await call(daemon, 'GET', '/peers')).body as PeerView[]).some(peer => peer.peerId === bruno.peerId && peer.connected) ? true : undefined, 30_000, 'alice to connect to bruno')
    // The client never reads this answer: to it, the request failed, as when the node stops first.
    const unread = call(daemon, 'POST', '/messages', request).catch(() => undefined)
    // Bruno holds the message: alice stored it before sending it (its durable write). Kill her now.
    await eventually(async () => (await heldFrom(bruno, daemon.peerId)).length === 1 ? true : undefined, 30_000, 'bruno to hold the message')
    await daemon.kill()
    await unread

    const restarted = await spawnApiNode(t, home, [addressOf(bruno)])
    const retried = await call(restarted, 'POST', '/messages', request)
    assert.equal(retried.status, 201, JSON.stringify(retried.body))
    const stored = await heldFrom(bruno, daemon.peerId)
    assert.equal((retried.body as MessageView).id, stored[0]!.id)

    await waitForPeer(bruno, daemon.peerId)
    await outboxDrained(restarted)
    assert.deepEqual((await heldFrom(bruno, daemon.peerId)).map(m => m.text), ['the report is ready'])
  })
})

interface ApiNode extends Api { peerId: string, kill: () => Promise<void> }

/** A node with its API in a child process (test/helpers/api-node-main.ts), killed with SIGKILL. */
async function spawnApiNode (t: TestContext, home: string, peers: string[]): Promise<ApiNode> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('../helpers/api-node-main.ts', import.meta.url).pathname, home, ...peers], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>(resolve => child.once('exit', () => { resolve() }))
  const kill = async (): Promise<void> => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); await exited }
  t.after(kill)
  const ready = await new Promise<{ peerId: string, apiUrl: string, token: string }>((resolve, reject) => {
    child.once('exit', code => { reject(new Error(`the daemon exited early (${code})`)) })
    createInterface({ input: child.stdout! }).once('line', line => { resolve(JSON.parse(line)) })
  })
  return { peerId: ready.peerId, url: ready.apiUrl, token: ready.token, kill }
}
