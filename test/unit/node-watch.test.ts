// The node's watcher (core/desk/node-watch.ts), what the Windows launcher runs at login: a node whose
// api.json names a process that is gone crashed and is started again, within a burst; one that
// stopped by itself (no api.json) is left alone; `causette stop` takes the watcher's file away and
// it ends. The restarts here are fakes that write api.json; test/integration/desk-double-click.test.ts
// kills a real node under a real watcher.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { API_FILE, writeApiFile } from '../../core/api/api-file.js'
import { crashedNode, RESTART_BURST, RestartBudget, stopWatching, watchNode, WATCH_FILE } from '../../core/desk/node-watch.js'
import { takePidLock } from '../../core/desk/pid-lock.js'
import { eventually } from '../helpers/nodes.js'

async function profileDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'causette-watch-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

/** The pid of a process that has ended. */
async function deadPid (): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''])
  await new Promise(resolve => child.once('exit', resolve))
  return child.pid!
}

/** The watcher runs in this process here: `stopWatching` has no other process to wait for. */
const IN_THIS_PROCESS = 0

const apiFileOf = async (profile: string, pid: number): Promise<void> => { await writeApiFile(profile, { url: 'http://127.0.0.1:1', token: 'token', pid }) }

describe('RestartBudget', () => {
  it('allows a burst within the window, then again once the oldest restart is out of it', () => {
    const budget = new RestartBudget(3, 1000)
    assert.deepEqual([0, 10, 20, 30].map(at => budget.take(at)), [true, true, true, false])
    assert.equal(budget.take(999), false, 'the first restart is still inside the window')
    assert.equal(budget.take(1000), true, 'the first restart left the window')
    assert.equal(budget.take(1001), false)
  })
})

describe('crashedNode', () => {
  it('names the process of an api.json whose process is gone; nothing without api.json or with a live process', async (t) => {
    const profile = await profileDir(t)
    assert.equal(await crashedNode(profile), undefined, 'no api.json: stopped by itself, or never started')
    await apiFileOf(profile, process.pid)
    assert.equal(await crashedNode(profile), undefined, 'its process runs')
    const dead = await deadPid()
    await apiFileOf(profile, dead)
    assert.equal(await crashedNode(profile), dead)
  })
})

describe('watchNode', { timeout: 60_000 }, () => {
  it('starts a crashed node again, and ends when `causette stop` takes its file away', async (t) => {
    const profile = await profileDir(t)
    await apiFileOf(profile, process.pid)
    const lines: string[] = []
    let restarts = 0
    const watching = watchNode({
      profile,
      pollMs: 5,
      log: line => { lines.push(line) },
      restart: async () => { restarts++; await apiFileOf(profile, process.pid) }
    })
    await eventually(async () => (await readFile(join(profile, WATCH_FILE), 'utf8').catch(() => '')) === String(process.pid) || undefined, 5_000, 'the watcher file')
    const crashed = await deadPid()
    await apiFileOf(profile, crashed)
    await eventually(() => restarts === 1 || undefined, 5_000, 'a restart')
    assert.ok(await stopWatching(profile, IN_THIS_PROCESS))
    assert.equal(await watching, 'stopped')
    assert.equal(restarts, 1, 'restarted once: the restart wrote a live api.json')
    assert.deepEqual(lines, [`the node (process ${crashed}) ended without \`causette stop\`: starting it again`, 'the node runs again'])
    assert.equal(await stopWatching(profile), false, 'nothing watches any more')
  })

  it('stops the node it was starting when `causette stop` came during the restart', async (t) => {
    const profile = await profileDir(t)
    await apiFileOf(profile, await deadPid())
    const events: string[] = []
    const end = await watchNode({
      profile,
      pollMs: 1,
      log: () => {},
      restart: async () => {
        // `causette stop` meanwhile: it takes the file away, and finds no node answering yet.
        assert.ok(await stopWatching(profile, IN_THIS_PROCESS))
        events.push('started')
        await apiFileOf(profile, process.pid)
      },
      stopNode: async () => { events.push('stopped') }
    })
    assert.equal(end, 'stopped')
    assert.deepEqual(events, ['started', 'stopped'])
  })

  it('gives up after a burst of crashes, and says so', async (t) => {
    const profile = await profileDir(t)
    await apiFileOf(profile, await deadPid())
    const lines: string[] = []
    let restarts = 0
    // A node that dies as it starts: api.json keeps naming a process that is gone.
    let toldTheDesk = 0
    const end = await watchNode({ profile, pollMs: 1, log: line => { lines.push(line) }, restart: async () => { restarts++; throw new Error('the node did not start') }, gaveUp: async () => { toldTheDesk++ } })
    assert.equal(end, 'gave-up')
    assert.equal(toldTheDesk, 1, 'the desktop is told once')
    assert.equal(restarts, RESTART_BURST)
    assert.equal(lines.filter(line => line === 'could not start the node again: the node did not start').length, RESTART_BURST)
    assert.match(lines.at(-1)!, /crashed 5 times within 5 minutes: not starting it again/)
    await assert.rejects(readFile(join(profile, WATCH_FILE)), { code: 'ENOENT' }, 'the watcher left its file')
  })

  it('leaves the node to a watcher already there, and takes over from one that died', async (t) => {
    const profile = await profileDir(t)
    const other = await takePidLock(join(profile, WATCH_FILE))
    assert.ok(other !== undefined)
    assert.equal(await watchNode({ profile, log: () => {}, restart: async () => {} }), 'watched-elsewhere')
    await writeFile(join(profile, WATCH_FILE), String(await deadPid()))
    await rm(join(profile, API_FILE), { force: true })
    const watching = watchNode({ profile, pollMs: 5, log: () => {}, restart: async () => {} })
    await eventually(async () => (await readFile(join(profile, WATCH_FILE), 'utf8').catch(() => '')) === String(process.pid) || undefined, 5_000, 'the file taken over')
    assert.ok(await stopWatching(profile, IN_THIS_PROCESS))
    assert.equal(await watching, 'stopped')
  })
})
