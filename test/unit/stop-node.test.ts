// `causette stop` (core/desk/stop-node.ts) while the watcher is starting the node again: told to end,
// the watcher stops that node itself (node-watch.ts), so `stop` finds none left to stop. The node did
// run and is stopped: `stop` must say so, not "was not running". Here the node is a process whose API
// answers with its token, and the watcher a process that, once its file is taken away, stops it.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test, type TestContext } from 'node:test'
import { API_FILE, writeApiFile } from '../../core/api/api-file.js'
import { WATCH_FILE } from '../../core/desk/node-watch.js'
import { isAlive } from '../../core/desk/process-alive.js'
import { stopRunningNode } from '../../core/desk/stop-node.js'
import { stopRequestedOf } from '../../core/runtime/stop-request.js'
import { eventually } from '../helpers/nodes.js'

const TOKEN = 'token'

/** Answers every request with 200 when it carries the token; prints its port. */
const FAKE_NODE = `
const server = require('node:http').createServer((request, response) => {
  response.statusCode = request.headers.authorization === 'Bearer ${TOKEN}' ? 200 : 401
  response.end('{}')
})
server.listen(0, '127.0.0.1', () => { console.log(server.address().port) })
process.on('SIGTERM', () => process.exit(0))`

/** Holds the watcher's file (its pid) until it is taken away, then stops the node, waits until it is gone and ends, as node-watch.ts does after a restart. */
const FAKE_WATCHER = `
const { existsSync, rmSync, writeFileSync } = require('node:fs')
const [watchFile, apiFile, nodePid] = process.argv.slice(1)
writeFileSync(watchFile, String(process.pid))
console.log('watching')
const poll = setInterval(() => {
  if (existsSync(watchFile)) return
  clearInterval(poll)
  process.kill(Number(nodePid), 'SIGTERM')
  const gone = setInterval(() => {
    try { process.kill(Number(nodePid), 0) } catch {
      clearInterval(gone)
      rmSync(apiFile, { force: true })
      process.exit(0)
    }
  }, 20)
}, 20)`

function started (t: TestContext, script: string, args: string[] = []): { child: ChildProcess, firstLine: Promise<string> } {
  const child = spawn(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  const firstLine = once(createInterface({ input: child.stdout! }), 'line').then(([line]) => line as string)
  return { child, firstLine }
}

/** A profile whose api.json names the fake node, which answers with its token. */
async function runningNode (t: TestContext): Promise<{ profile: string, node: { child: ChildProcess } }> {
  const profile = await mkdtemp(join(tmpdir(), 'causette-stop-'))
  t.after(async () => { await rm(profile, { recursive: true, force: true }) })
  const node = started(t, FAKE_NODE)
  const port = Number(await node.firstLine)
  await writeApiFile(profile, { url: `http://127.0.0.1:${port}`, token: TOKEN, pid: node.child.pid! })
  return { profile, node }
}

test('causette stop during a restart by the watcher, which then stops the node itself: the node is stopped and stop says it was', async (t) => {
  const { profile, node } = await runningNode(t)
  const watcher = started(t, FAKE_WATCHER, [join(profile, WATCH_FILE), join(profile, API_FILE), String(node.child.pid)])
  await watcher.firstLine

  assert.equal(await stopRunningNode(profile), true)
  await eventually(() => !isAlive(node.child.pid!) || undefined, 5_000, 'the node to be gone')
})

// An update's old process watching the node's trial tells a stop from a failure by this mark (trial-watch.ts).
test('causette stop marks the stop with the pid it signals', async (t) => {
  const { profile, node } = await runningNode(t)

  assert.equal(await stopRunningNode(profile), true)
  assert.equal(await stopRequestedOf(profile), node.child.pid)
})
