// `causette` with no arguments, as a double-click runs it, as a real process under a temporary HOME:
// the first run creates the profile, starts the node in the background and opens the app's link; the
// second finds it running and only opens the link again. $BROWSER records the URL instead of opening
// a browser; CAUSETTE_START_OPTIONS keeps the node on loopback with mDNS off.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { access, chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import type { NodeStatus } from '../../core/api/schema.js'
import { readApiFile } from '../../core/api/api-file.js'
import { install } from '../../core/desk/install.js'
import { WATCH_FILE } from '../../core/desk/node-watch.js'
import { isAlive } from '../../core/desk/process-alive.js'
import { runningAppUrl } from '../../core/desk/running-node.js'
import { stopRunningNode } from '../../core/desk/stop-node.js'
import type { RunCommand } from '../../core/desk/run-command.js'
import { VERSION } from '../../core/runtime/build-info.js'
import { cliArgs } from '../helpers/built-cli.js'
import { eventually } from '../helpers/nodes.js'

const NO_USER_MANAGER: RunCommand = async (file) => { throw new Error(`no user manager here: ${file} must not run`) }

interface Run { code: number, stdout: string, stderr: string }

async function causetteIn (env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  return await new Promise(resolve => {
    execFile(process.execPath, [...cliArgs(), ...args], { env: { ...process.env, CAUSETTE_HOME: undefined, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr })
    })
  })
}

/** A user with a browser that writes down each URL it is asked to open. */
async function userWithRecordingBrowser (t: TestContext): Promise<{ env: NodeJS.ProcessEnv, opened: () => Promise<string[]>, profile: string }> {
  const home = await mkdtemp(join(tmpdir(), 'causette-click-'))
  const profile = join(home, 'profile')
  // One hook, in this order: the node a test started in the background stops before its profile goes.
  t.after(async () => {
    await stopRunningNode(profile)
    await rm(home, { recursive: true, force: true })
  })
  const record = join(home, 'opened.txt')
  const browser = join(home, 'browser')
  await writeFile(browser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${record}'\n`)
  await chmod(browser, 0o755)
  const env = { HOME: home, CAUSETTE_HOME: profile, BROWSER: browser, CAUSETTE_START_OPTIONS: '--no-mdns --listen 127.0.0.1 --port 0 --api-port 0' }
  const opened = async (): Promise<string[]> => (await readFile(record, 'utf8').catch(() => '')).split('\n').filter(line => line !== '')
  return { env, opened, profile }
}

describe('causette with no arguments (double-click)', () => {
  it('first time: creates the profile, starts the node in the background and opens the app; then only opens the app', async (t) => {
    const { env, opened, profile } = await userWithRecordingBrowser(t)
    await assert.rejects(access(profile), { code: 'ENOENT' })

    const first = await causetteIn(env)
    assert.equal(first.code, 0, first.stderr)
    const api = await readApiFile(profile)
    assert.ok(api !== undefined, 'the node writes api.json')
    const appUrl = `${api.url}/#token=${api.token}`
    assert.match(appUrl, /^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/)
    assert.match(first.stdout, /^causette is running\.$/m)
    assert.match(first.stdout, new RegExp(`: ${appUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'))
    assert.match(first.stdout, /you can close this window/)
    assert.deepEqual(await eventually(async () => (await opened()).length === 1 ? await opened() : undefined, 30_000, 'the browser to be asked'), [appUrl])

    const status = await causetteIn(env, 'status', '--json')
    assert.equal(status.code, 0, status.stderr)
    const { mdns, addresses, autostart } = JSON.parse(status.stdout) as NodeStatus
    assert.equal(mdns, false, 'no multicast from a test')
    assert.ok(addresses.every(address => address.startsWith('/ip4/127.0.0.1/')), addresses.join(' '))
    const unit = join(env.HOME!, '.config', 'systemd', 'user', 'causette.service')
    assert.deepEqual(autostart, { enabled: false, how: 'systemd', where: unit, program: null, menu: null })

    // Installed meanwhile (the node already running: it is registered for the next login only).
    const downloaded = join(env.HOME!, 'causette-linux-x64')
    await writeFile(downloaded, '#!/bin/sh\n', { mode: 0o755 })
    await install({ platform: 'linux', deskEnv: { home: env.HOME!, env: { XDG_RUNTIME_DIR: env.HOME } }, profile, source: downloaded, nodeRunning: true, run: NO_USER_MANAGER })
    const statusLines = await causetteIn(env, 'status')
    assert.match(statusLines.stdout, new RegExp(`^autostart +on \\(systemd user unit ${unit}\\)$`, 'm'))

    const second = await causetteIn(env)
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stdout, /^causette was already running\.$/m)
    assert.doesNotMatch(second.stdout, /Starting/)
    assert.equal((await readApiFile(profile))?.pid, api.pid, 'no second node')
    assert.deepEqual(await eventually(async () => (await opened()).length === 2 ? await opened() : undefined, 30_000, 'the browser to be asked again'), [appUrl, appUrl])
    await access(join(profile, 'causette.log'))

    const stopped = await causetteIn(env, 'stop')
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.equal(stopped.stdout, 'causette stopped.\n')
    assert.equal(await runningAppUrl(profile), undefined, 'the background node is gone')
    await assert.rejects(access(join(profile, 'api.json')), { code: 'ENOENT' }, 'it stopped cleanly')
    assert.equal((await causetteIn(env, 'stop')).stdout, 'causette was not running.\n')
  })

  it('two double-clicks at once start one node, and both open it', async (t) => {
    const { env, opened, profile } = await userWithRecordingBrowser(t)
    const runs = await Promise.all([causetteIn(env), causetteIn(env)])
    for (const run of runs) assert.equal(run.code, 0, run.stderr)
    const api = await readApiFile(profile)
    assert.ok(api !== undefined)
    const appUrl = `${api.url}/#token=${api.token}`
    assert.deepEqual(await eventually(async () => (await opened()).length === 2 ? await opened() : undefined, 30_000, 'both runs to open the app'), [appUrl, appUrl])
    const log = await readFile(join(profile, 'causette.log'), 'utf8')
    assert.equal(log.match(/^causette is running as /gm)?.length, 1, log)
    assert.match(log, /^to stop it: causette stop$/m, 'a background node tells how to stop it, not "press Ctrl+C"')
    assert.doesNotMatch(log, /another causette node is running/)
    await assert.rejects(access(join(profile, 'starting.pid')), { code: 'ENOENT' }, 'the start lock is released')
  })

  it('a profile with a passphrase: starts the node in the background, locked, and opens the app to type it; status says locked, stop stops it; CAUSETTE_PASSPHRASE opens it at once', async (t) => {
    const { env, opened, profile } = await userWithRecordingBrowser(t)
    const set = await causetteIn({ ...env, CAUSETTE_PASSPHRASE: 'correct horse' }, 'passphrase', 'set')
    assert.equal(set.code, 0, set.stderr)

    const click = await causetteIn(env)
    assert.equal(click.code, 0, click.stderr)
    assert.match(click.stdout, /^causette is running\.$/m)
    assert.match(click.stdout, /protected by a passphrase: type it in the app/)
    const api = await readApiFile(profile)
    assert.ok(api !== undefined, 'the locked node serves its API')
    assert.deepEqual(await eventually(async () => (await opened()).length === 1 ? await opened() : undefined, 30_000, 'the browser to be asked'), [`${api.url}/#token=${api.token}`])
    const status = await causetteIn(env, 'status')
    assert.equal(status.code, 0, status.stderr)
    assert.match(status.stdout, /^locked +waiting for the passphrase/m)
    assert.match(status.stdout, new RegExp(`^profile +${profile}$`, 'm'))
    const stopped = await causetteIn(env, 'stop')
    assert.equal(stopped.stdout, 'causette stopped.\n', stopped.stderr)
    assert.equal(isAlive(api.pid), false)

    const withPassphrase = await causetteIn({ ...env, CAUSETTE_PASSPHRASE: 'correct horse' })
    assert.equal(withPassphrase.code, 0, withPassphrase.stderr)
    assert.doesNotMatch(withPassphrase.stdout, /type it in the app/)
    const started = JSON.parse((await causetteIn(env, 'status', '--json')).stdout) as NodeStatus
    assert.equal(typeof started.peerId, 'string', 'not locked')
  })

  it('a node that cannot start: says why, with what it wrote, and opens nothing', async (t) => {
    const { env, opened, profile } = await userWithRecordingBrowser(t)
    const run = await causetteIn({ ...env, CAUSETTE_START_OPTIONS: `${env.CAUSETTE_START_OPTIONS} --bogus` })
    assert.equal(run.code, 1)
    assert.match(run.stderr, /^causette: the node did not start: it stopped \(exit code 2\)\. It wrote in .*causette\.log:\n {2}causette start: .*'--bogus'/m)
    assert.equal(await readApiFile(profile), undefined)
    await assert.rejects(access(join(profile, 'starting.pid')), { code: 'ENOENT' }, 'the start lock is released')
    assert.deepEqual(await opened(), [])
  })

  it('causette background (what the Windows launcher runs at login) starts the node without opening anything', async (t) => {
    const { env, opened, profile } = await userWithRecordingBrowser(t)
    const first = await causetteIn(env, 'background', '--json')
    assert.equal(first.code, 0, first.stderr)
    const api = await readApiFile(profile)
    assert.ok(api !== undefined)
    assert.deepEqual(JSON.parse(first.stdout), { appUrl: `${api.url}/#token=${api.token}`, started: true })
    const second = await causetteIn(env, 'background')
    assert.equal(second.stdout, `causette was already running: ${api.url}/#token=${api.token}\n`)
    assert.equal((await readApiFile(profile))?.pid, api.pid)
    assert.deepEqual(await opened(), [])
  })

  it('causette background --watch (what Windows runs at login) starts a crashed node again; causette stop ends the watcher first', { timeout: 180_000 }, async (t) => {
    const { env, profile } = await userWithRecordingBrowser(t)
    const watcher = spawn(process.execPath, [...cliArgs(), 'background', '--watch'], { env: { ...process.env, CAUSETTE_HOME: undefined, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<number | null>(resolve => watcher.once('exit', resolve))
    t.after(() => { if (watcher.exitCode === null) watcher.kill('SIGKILL') })
    const first = await eventually(async () => await runningAppUrl(profile) !== undefined ? await readApiFile(profile) : undefined, 60_000, 'the node')
    const watcherPid = await eventually(async () => Number(await readFile(join(profile, WATCH_FILE), 'utf8').catch(() => '')) || undefined, 20_000, 'the watcher file')
    assert.equal(watcherPid, watcher.pid)

    process.kill(first.pid, 'SIGKILL')
    const second = await eventually(async () => {
      const api = await readApiFile(profile).catch(() => undefined)
      return api !== undefined && api.pid !== first.pid && await runningAppUrl(profile) !== undefined ? api : undefined
    }, 60_000, 'the node started again')
    const said = new RegExp(`causette watch: the node \\(process ${first.pid}\\) ended without \`causette stop\`: starting it again`)
    await eventually(async () => said.test(await readFile(join(profile, 'causette.log'), 'utf8')) || undefined, 20_000, 'the restart in causette.log')

    const stopped = await causetteIn(env, 'stop')
    assert.equal(stopped.stdout, 'causette stopped.\n', stopped.stderr)
    assert.equal(await exited, 0, 'the watcher ends when causette stop takes its file away')
    assert.equal(isAlive(second.pid), false)
    assert.equal(await runningAppUrl(profile), undefined, 'nothing started the node again')
  })

  it('answers --version, -v, --help and -h without a profile', async (t) => {
    const { env, opened, profile } = await userWithRecordingBrowser(t)
    for (const flag of ['--version', '-v']) {
      const result = await causetteIn(env, flag)
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout, `causette ${VERSION}\n`)
    }
    for (const flag of ['--help', '-h']) {
      const result = await causetteIn(env, flag)
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^usage: causette <command>/m)
      assert.match(result.stdout, /^ {2}install +Install this program/m)
    }
    await assert.rejects(access(profile), { code: 'ENOENT' }, 'no profile was created')
    assert.deepEqual(await opened(), [])
  })
})
