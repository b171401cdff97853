// The real `causette` command against real daemons: two `causette start` processes on loopback
// (mDNS off, each told the other's address), driven only through the CLI, as a user would.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { access, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, it } from 'node:test'
import type { MessageView, NodeStatus, PeerView } from '../../core/api/schema.js'
import { cliArgs } from '../helpers/built-cli.js'
import { causette, causetteJson, startDaemon, type Result } from '../helpers/cli-process.js'
import { eventually, tempHome } from '../helpers/nodes.js'

describe('causette CLI', () => {
  it('starts two daemons that find each other, sends, lists and stops cleanly', async (t) => {
    const alice = await startDaemon(t, 'alice')
    const bob = await startDaemon(t, 'bob', { extra: ['--peer', alice.addresses[0]] })
    assert.match(alice.appUrl, /^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/)

    const status = await causetteJson<NodeStatus>('status', '--home', alice.home)
    assert.equal(status.peerId, alice.peerId)
    assert.equal(status.name, 'alice')
    assert.deepEqual(status.addresses, alice.addresses)

    const bobSeen = await eventually(async () => {
      const peers = await causetteJson<PeerView[]>('peers', '--home', alice.home)
      return peers.find(peer => peer.peerId === bob.peerId && peer.connected)
    }, 30_000, 'alice to see bob connected')
    assert.equal(bobSeen.name, 'bob')
    for (const key of ['peerId', 'name', 'addresses', 'connected', 'lastSeen']) assert.ok(key in bobSeen, key)

    const unknown = await causette('send', '--home', alice.home, 'carol', 'hi')
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /carol/)

    const sent = await causette('send', '--home', alice.home, 'bob', 'hello', 'bob')
    assert.equal(sent.code, 0, sent.stderr)
    const id = sent.stdout.trim()
    assert.match(id, /^\S+$/)

    const received = await eventually(async () => {
      const messages = await causetteJson<MessageView[]>('messages', '--home', bob.home, '--with', 'alice')
      return messages.find(message => message.id === id)
    }, 30_000, 'bob to receive the message')
    assert.equal(received.text, 'hello bob')
    assert.equal(received.verified, true)
    assert.equal(received.author, alice.peerId)

    const table = await causette('messages', '--home', bob.home)
    assert.equal(table.code, 0, table.stderr)
    assert.match(table.stdout, /^TIME\s+AUTHOR\s+WITH\s+STATE\s+VERIFIED\s+TEXT\s+ID$/m)
    assert.match(table.stdout, /alice\s+alice\s+\w+\s+yes\s+hello bob/)

    for (const daemon of [alice, bob]) {
      daemon.process.kill('SIGTERM')
      const [code] = await once(daemon.process, 'exit') as [number]
      assert.equal(code, 0)
      await assert.rejects(access(join(daemon.home, 'api.json')), { code: 'ENOENT' })
    }
  })

  it('a command run again with its --send-id sends nothing twice, files included; other content with that id is refused', async (t) => {
    const alice = await startDaemon(t, 'alice')
    const bob = await startDaemon(t, 'bob', { extra: ['--peer', alice.addresses[0]] })
    await eventually(async () => (await causetteJson<PeerView[]>('peers', '--home', alice.home)).find(peer => peer.peerId === bob.peerId && peer.connected), 30_000, 'alice to see bob connected')
    const notes = join(alice.home, 'notes.txt')
    await writeFile(notes, 'agenda: budget, then lunch')
    const send = async (...args: string[]): Promise<Result> => await causette('send', '--home', alice.home, 'bob', ...args)
    const sendTwice = async (...args: string[]): Promise<string[]> => {
      const results = [await send(...args), await send(...args)]
      for (const result of results) assert.equal(result.code, 0, result.stderr)
      return results.map(result => result.stdout.trim())
    }

    const [first, again] = await sendTwice('the report is ready', '--send-id', 'cron-report-2026-12-07')
    assert.equal(again, first)
    // Run again, the command stages the file anew (a new staged id): the same content is the same message.
    const [filed, filedAgain] = await sendTwice('--file', notes, '--text', 'the agenda', '--send-id', 'cron-agenda-2026-12-07')
    assert.equal(filedAgain, filed)
    // The copy the second run uploaded is not kept a day for nothing: one file in the store.
    assert.equal((await causetteJson<{ mineFiles: number }>('files', '--home', alice.home)).mineFiles, 1)
    const refused = await send('the report is late', '--send-id', 'cron-report-2026-12-07')
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /--send-id cron-report-2026-12-07 already sent another message .*nothing was sent/)
    const badId = await send('hi', '--send-id', 'short')
    assert.equal(badId.code, 2)
    assert.match(badId.stderr, /--send-id is 16 to 64/)

    // Every message alice queued reached bob; he holds each once.
    await eventually(async () => (await causetteJson<NodeStatus>('status', '--home', alice.home)).queued === 0 || undefined, 30_000, 'alice\'s outbox to drain')
    const held = await causetteJson<MessageView[]>('messages', '--home', bob.home, '--with', 'alice')
    assert.deepEqual(held.map(m => m.id).sort(), [first, filed].sort())

    // A channel needs a workspace: alice's alone (bob, no member, is no longer reached).
    await causetteJson('workspace', 'create', 'office', '--home', alice.home)
    const channel = await causetteJson<{ id: string }>('channel', 'create', 'lunch', '--home', alice.home)
    const inChannel = async (text: string): Promise<Result> => await causette('channel', 'send', channel.id, text, '--send-id', 'lunch-poll-2026-12-07', '--home', alice.home)
    const posts = [await inChannel('who is in?'), await inChannel('who is in?')]
    assert.deepEqual(posts.map(post => post.code), [0, 0], posts[1]!.stderr)
    assert.equal(posts[1]!.stdout, posts[0]!.stdout)
    assert.equal((await inChannel('who is out?')).code, 1)
    assert.deepEqual((await causetteJson<MessageView[]>('channel', 'messages', channel.id, '--home', alice.home)).map(m => m.text), ['who is in?'])

  })

  it('prints the app URL with its token and the addresses for a human, and stops on SIGINT', async (t) => {
    const home = await tempHome(t)
    const child = spawn(process.execPath, [...cliArgs(), 'start', '--home', home, '--name', 'carol', '--port', '0', '--api-port', '0',
      '--listen', '127.0.0.1', '--no-mdns'], { stdio: ['ignore', 'pipe', 'pipe'] })
    t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
    const lines: string[] = []
    for await (const line of createInterface({ input: child.stdout! })) {
      lines.push(line)
      // Its stdin is no terminal (as for a node started in the background): no "press Ctrl+C".
      if (line === 'to stop it: causette stop') break
    }
    assert.match(lines[0], /^causette is running as carol \(12D3KooW\w+\)$/)
    assert.match(lines[1], /^open the app: http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/)
    assert.match(lines.join('\n'), /^ {2}\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW\w+$/m)
    child.kill('SIGINT')
    const [code] = await once(child, 'exit') as [number]
    assert.equal(code, 0)
  })

  it('fails with exit code 1 and a clear message when the API port is taken, leaving the profile free', async (t) => {
    const home = await tempHome(t)
    const blocker = createServer()
    await new Promise<void>(resolve => { blocker.listen(0, '127.0.0.1', resolve) })
    t.after(() => { blocker.close() })
    const { port } = blocker.address() as AddressInfo
    const args = ['start', '--home', home, '--port', '0', '--listen', '127.0.0.1', '--no-mdns']
    const taken = await causette(...args, '--api-port', String(port))
    assert.equal(taken.code, 1)
    assert.match(taken.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`))
    // The node it had started was stopped: the profile opens again at once.
    const daemon = await startDaemon(t, 'again', { home })
    daemon.process.kill('SIGTERM')
    assert.equal((await once(daemon.process, 'exit'))[0], 0)
  })

  it('says that no daemon runs, with exit code 1, when api.json is missing or stale', async (t) => {
    const home = await tempHome(t)
    const missing = await causette('status', '--home', home)
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /no causette daemon is running for profile .*; start it with `causette start`/)

    const exited = spawn(process.execPath, ['-e', ''])
    await once(exited, 'exit')
    await writeFile(join(home, 'api.json'), JSON.stringify({ url: 'http://127.0.0.1:1', token: 'x', pid: exited.pid }))
    const stale = await causette('peers', '--home', home)
    assert.equal(stale.code, 1)
    assert.match(stale.stderr, /no causette daemon is running/)
  })

  it('answers usage errors with exit code 2 and the usage', async () => {
    const noText = await causette('send', 'bob')
    assert.equal(noText.code, 2)
    assert.match(noText.stderr, /causette send <name-or-peerid>/)
    assert.equal((await causette('frobnicate')).code, 2)
    assert.equal((await causette('start', '--port', 'many')).code, 2)
    const help = await causette('--help')
    assert.equal(help.code, 0)
    for (const name of ['start', 'status', 'peers', 'send', 'messages', 'log', 'doctor']) assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'))
  })
})
