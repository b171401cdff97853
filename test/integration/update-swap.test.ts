// The executable swap with real processes and real files: stand-in executables (shell scripts that
// run the real CLI, or exit, or hang) installed in a temporary directory; the running node is handed
// a release as the update service will hand it (test/helpers/swap-node.ts), swaps, restarts on it,
// and the new version confirms its health or is rolled back. A profile with a passphrase restarts
// locked: answering locked passes the trial's run stage, and the first unlock ends it.
import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { constants } from 'node:fs'
import { once } from 'node:events'
import { access, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, it, type TestContext } from 'node:test'
import { readApiFile } from '../../core/api/api-file.js'
import { KEYSTORE_FILE } from '../../core/profile/keystore.js'
import { RESTART_EXIT_CODE } from '../../core/update/swap/restart.js'
import { previousExecutable } from '../../core/runtime/kept-executables.js'
import { openStageFile, trialFile } from '../../core/update/swap/swap-paths.js'
import { readUpdateLog, type UpdateLogLine } from '../../core/update/swap/update-log.js'
import { isAlive, readMarks, standIn, stopPid, writeRelease, writeStandIn, type Behaviour } from '../helpers/swap-executables.js'
import { mountSmallDisk } from '../helpers/small-disk.js'
import { freePort } from '../helpers/free-port.js'
import { eventually } from '../helpers/nodes.js'

const execFileAsync = promisify(execFile)

interface Desk { dir: string, executable: string, home: string, marks: string }

describe('swapping the executable', () => {
  it('swaps, restarts on the new version, which confirms its health; the previous one is kept', async (t) => {
    const desk = await newDesk(t)
    const old = await startWithRelease(t, desk, 'new', 'runs')
    assert.deepEqual(await installResult(desk), { ok: true })
    const pid = await nodeRunning(desk, 'new')
    await eventually(async () => await logged(desk, 'confirmed'), 60_000, 'the trial to be confirmed')
    await assert.rejects(access(trialFile(desk.home)), { code: 'ENOENT' })
    assert.equal(await readFile(desk.executable, 'utf8'), standIn('new', 'runs', desk.marks))
    assert.equal(await readFile(previousExecutable(desk.executable), 'utf8'), standIn('old', 'runs', desk.marks))
    assert.equal(await exitCode(old), 0)
    await stopPid(pid)
  })

  it('rolls back a new version that never becomes healthy, and the old one runs again', async (t) => {
    const desk = await newDesk(t)
    const old = await startWithRelease(t, desk, 'hanging', 'hangs', { trialMs: 3000 })
    assert.deepEqual(await installResult(desk), { ok: true })
    const pid = await nodeRunning(desk, 'old', { after: 'hanging' })
    const rolledBack = await eventually(async () => await logged(desk, 'rolled-back'), 60_000, 'the rollback to be logged')
    assert.match((rolledBack as { reason: string }).reason, /version hanging did not confirm its health within 3 s/)
    assert.equal(await readFile(desk.executable, 'utf8'), standIn('old', 'runs', desk.marks))
    const hanging = (await readMarks(desk.marks)).find(([label]) => label === 'hanging')![1]
    await eventually(() => isAlive(hanging) ? undefined : true, 30_000, 'the hanging version to be stopped')
    assert.equal(await exitCode(old), 0)
    await stopPid(pid)
  })

  it('rolls back a new version that crashes at start, without waiting for the deadline', async (t) => {
    const desk = await newDesk(t)
    await startWithRelease(t, desk, 'crashing', 'exits', { trialMs: 600_000 })
    const pid = await nodeRunning(desk, 'old', { after: 'crashing' })
    const rolledBack = await eventually(async () => await logged(desk, 'rolled-back'), 60_000, 'the rollback to be logged')
    assert.match((rolledBack as { reason: string }).reason, /version crashing exited during its trial/)
    assert.equal(await readFile(desk.executable, 'utf8'), standIn('old', 'runs', desk.marks))
    await stopPid(pid)
  })

  it('rolls back when the new version is started again with its trial unconfirmed (a supervisor after a crash)', async (t) => {
    const desk = await newDesk(t)
    await writeStandIn(desk.executable, 'new', 'runs', desk.marks)
    await writeStandIn(previousExecutable(desk.executable), 'old', 'runs', desk.marks)
    await mkdir(desk.home, { recursive: true, mode: 0o700 })
    await writeFile(trialFile(desk.home), JSON.stringify({ from: 'old', to: 'new', startedAt: Date.now(), attempts: 1, trialMs: 600_000 }))
    const started = launch(t, desk, {})
    assert.equal(await exitCode(started), 0)
    const pid = await nodeRunning(desk, 'old', { after: 'new' })
    const rolledBack = await logged(desk, 'rolled-back')
    assert.match((rolledBack as { reason: string }).reason, /version new started again without having confirmed its health/)
    assert.equal(await readFile(desk.executable, 'utf8'), standIn('old', 'runs', desk.marks))
    await stopPid(pid)
  })

  it('under systemd, exits 75 once the new version is healthy, and the restarted unit runs it with the trial over', async (t) => {
    const desk = await newDesk(t)
    const { file } = await writeRelease(desk.dir, 'new', 'runs', desk.marks)
    const old = launch(t, desk, { release: file, supervised: true })
    await eventually(async () => await logged(desk, 'confirmed'), 60_000, 'the trial to be confirmed')
    const restarted = await restartLikeSystemd(t, desk, old)
    assert.equal(await nodeRunning(desk, 'new', { after: 'new' }), restarted.pid)
    await assert.rejects(access(trialFile(desk.home)), { code: 'ENOENT' })
    assert.equal(await logged(desk, 'rolled-back'), undefined)
    await stopPid(restarted.pid!)
  })

  it('under systemd, rolls back a crashing release, exits 75, and the restarted unit runs the old version', async (t) => {
    const desk = await newDesk(t)
    const { file } = await writeRelease(desk.dir, 'crashing', 'exits', desk.marks)
    const old = launch(t, desk, { release: file, supervised: true })
    const restarted = await restartLikeSystemd(t, desk, old)
    assert.equal(await nodeRunning(desk, 'old', { after: 'crashing' }), restarted.pid)
    assert.match((await logged(desk, 'rolled-back') as { reason: string }).reason, /version crashing exited during its trial/)
    assert.equal(await readFile(desk.executable, 'utf8'), standIn('old', 'runs', desk.marks))
    await stopPid(restarted.pid!)
  })

  it('updates a profile with a passphrase: the new version restarts locked, and its first unlock confirms the trial', async (t) => {
    const desk = await newDesk(t)
    await setPassphrase(desk)
    const old = await startWithRelease(t, desk, 'new', 'runs', { passphrase: PASSPHRASE })
    assert.deepEqual(await installResult(desk), { ok: true })
    const pid = await nodeRunning(desk, 'new')
    // The old process accepted the run stage and left; the trial waits for the passphrase, with no deadline.
    assert.equal(await exitCode(old), 0)
    await access(openStageFile(desk.home))
    assert.equal(await logged(desk, 'confirmed'), undefined)
    const api = (await readApiFile(desk.home))!
    assert.equal((await unlock(api, 'incorrect horse')).status, 403, 'a wrong passphrase is no reason to roll back')
    assert.equal((await unlock(api, PASSPHRASE)).status, 200)
    await eventually(async () => await logged(desk, 'confirmed'), 60_000, 'the trial to be confirmed')
    await assert.rejects(access(openStageFile(desk.home)), { code: 'ENOENT' })
    assert.equal(await readFile(desk.executable, 'utf8'), standIn('new', 'runs', desk.marks))
    await stopPid(pid)
  })

  it('rolls back a new version that answers locked but cannot open the profile with the right passphrase; the old one comes up locked', async (t) => {
    const desk = await newDesk(t)
    await setPassphrase(desk)
    // The new version cannot start its node: the port it must listen on is taken once the old one let it go.
    const port = await freePort()
    await startWithRelease(t, desk, 'new', 'runs', { passphrase: PASSPHRASE, port })
    await nodeRunning(desk, 'new')
    const blocker = createServer()
    await new Promise<void>(resolve => blocker.listen(port, '127.0.0.1', resolve))
    t.after(() => { blocker.close() })
    const answer = await unlock((await readApiFile(desk.home))!, PASSPHRASE)
    assert.equal(answer.status, 503)
    const { error } = await answer.json() as { error: { code: string, message: string } }
    assert.equal(error.code, 'UPDATE_ROLLED_BACK')
    assert.match(error.message, /could not open this profile.*goes back to version old/)
    const pid = await nodeRunning(desk, 'old', { after: 'new' })
    const rolledBack = await logged(desk, 'rolled-back')
    assert.match((rolledBack as { reason: string }).reason, /version new could not open the profile after the passphrase was typed/)
    assert.equal(await readFile(desk.executable, 'utf8'), standIn('old', 'runs', desk.marks))
    assert.equal(await statusLocked(desk), true)
    await stopPid(pid)
  })

  it('rolls back a new version killed while it opens the profile after the unlock; the old one comes up locked', async (t) => {
    const desk = await newDesk(t)
    await setPassphrase(desk)
    await startWithRelease(t, desk, 'new', 'runs', { passphrase: PASSPHRASE })
    const pid = await nodeRunning(desk, 'new')
    // Its open stops on reading the device keys (a pipe the test holds), until it is killed there.
    const keys = join(desk.home, KEYSTORE_FILE)
    const keysText = await readFile(keys)
    await rm(keys)
    await execFileAsync('mkfifo', ['-m', '600', keys])
    unlock((await readApiFile(desk.home))!, PASSPHRASE).catch(() => {})
    const pipe = await eventually(async () => await open(keys, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined), 60_000, 'the new version to read its keys')
    process.kill(pid, 'SIGKILL')
    await eventually(() => isAlive(pid) ? undefined : true, 30_000, 'the new version to die')
    await pipe.close()
    await rm(keys)
    await writeFile(keys, keysText, { mode: 0o600 })
    // Started again (the next login): it rolls back, and the old version runs, locked.
    const started = launch(t, desk, {})
    const old = await nodeRunning(desk, 'old', { after: 'new' })
    assert.equal(await exitCode(started), 0)
    assert.match((await logged(desk, 'rolled-back') as { reason: string }).reason, /version new stopped while opening the profile after the unlock/)
    assert.equal(await readFile(desk.executable, 'utf8'), standIn('old', 'runs', desk.marks))
    assert.equal(await statusLocked(desk), true)
    await stopPid(old)
  })

  it('leaves the old version in place and running when the release does not match its hash', async (t) => {
    const desk = await newDesk(t)
    const { release } = await writeRelease(desk.dir, 'new', 'runs', desk.marks)
    const releaseFile = join(desk.dir, 'tampered.json')
    await writeFile(releaseFile, JSON.stringify({ ...release, sha256: '0'.repeat(64) }))
    const old = launch(t, desk, { release: releaseFile })
    const result = await installResult(desk)
    assert.equal(result.code, 'UPDATE_SWAP_HASH_MISMATCH')
    await stillRunsUnchanged(desk, old)
  })

  it('leaves the old version in place and running when the disk is full', async (t) => {
    const disk = await mountSmallDisk(t, 1)
    const desk = await newDesk(t, disk.path)
    await disk.fill()
    const { file } = await writeRelease(desk.dir, 'new', 'runs', desk.marks)
    const old = launch(t, desk, { release: file })
    const result = await installResult(desk)
    assert.equal(result.code, 'UPDATE_SWAP_FAILED', result.message)
    assert.match(result.message!, /copying the release beside the executable failed/)
    await stillRunsUnchanged(desk, old)
  })
})

/** A profile and an installed "old" executable (in `binDir` if given). */
async function newDesk (t: TestContext, binDir?: string): Promise<Desk> {
  const dir = await mkdtemp(join(tmpdir(), 'causette-swap-'))
  const marks = join(dir, 'marks')
  // Every process a stand-in became (each wrote its pid) is stopped before the files go.
  t.after(async () => {
    for (const [, pid] of await readMarks(marks)) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
    await rm(dir, { recursive: true, force: true })
  })
  const executable = join(binDir ?? join(dir, 'bin'), 'causette')
  await mkdir(join(executable, '..'), { recursive: true })
  await writeStandIn(executable, 'old', 'runs', marks)
  return { dir, executable, home: join(dir, 'home'), marks }
}

interface LaunchOptions { release?: string, trialMs?: number, supervised?: boolean, passphrase?: string, port?: number }

async function startWithRelease (t: TestContext, desk: Desk, label: string, behaviour: Behaviour, options: Omit<LaunchOptions, 'release'> = {}): Promise<ChildProcess> {
  const { file } = await writeRelease(desk.dir, label, behaviour, desk.marks)
  return launch(t, desk, { release: file, ...options })
}

/** Runs the installed executable as autostart would: `causette start`, loopback only; `passphrase`: as a person would have started it, given on standard input. */
function launch (t: TestContext, desk: Desk, { release, trialMs, supervised = false, passphrase, port = 0 }: LaunchOptions): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, CAUSETTE_TEST_RELEASE_RESULT: join(desk.dir, 'install-result.json') }
  if (release !== undefined) env.CAUSETTE_TEST_RELEASE = release
  if (trialMs !== undefined) env.CAUSETTE_UPDATE_TRIAL_MS = String(trialMs)
  // Unsupervised, the old version restarts the new one itself; supervised, the test plays systemd.
  delete env.INVOCATION_ID
  if (supervised) env.CAUSETTE_SUPERVISOR = 'systemd'
  else delete env.CAUSETTE_SUPERVISOR
  const args = ['start', '--home', desk.home, '--port', String(port), '--api-port', '0', '--listen', '127.0.0.1', '--no-mdns', ...passphrase === undefined ? [] : ['--passphrase-stdin']]
  const child = spawn(desk.executable, args, { env, stdio: [passphrase === undefined ? 'ignore' : 'pipe', 'ignore', 'inherit'] })
  child.stdin?.end(`${passphrase}\n`)
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  return child
}

/**
 * What a Restart=on-failure unit does when its main process exits 75: kill what is left in its
 * cgroup (every process a stand-in became), then start the installed executable again.
 */
async function restartLikeSystemd (t: TestContext, desk: Desk, main: ChildProcess): Promise<ChildProcess> {
  assert.equal(await exitCode(main), RESTART_EXIT_CODE)
  const left = (await readMarks(desk.marks)).map(([, pid]) => pid).filter(isAlive)
  for (const pid of left) process.kill(pid, 'SIGKILL')
  await eventually(() => left.some(isAlive) ? undefined : true, 30_000, 'the unit\'s processes to be gone')
  return launch(t, desk, { supervised: true })
}

const PASSPHRASE = 'correct horse battery staple'

async function setPassphrase (desk: Desk): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile(desk.executable, ['passphrase', 'set', '--home', desk.home, '--passphrase-stdin'], error => { if (error === null) resolve(); else reject(error) })
    child.stdin!.end(`${PASSPHRASE}\n`)
  })
}

/** POST /unlock, as the app does on the unlock screen. */
async function unlock (api: { url: string, token: string }, passphrase: string): Promise<Response> {
  return await fetch(`${api.url}/api/v1/unlock`, { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ passphrase }) })
}

async function installResult (desk: Desk): Promise<{ ok: boolean, code?: string, message?: string }> {
  const file = join(desk.dir, 'install-result.json')
  return await eventually(async () => await readFile(file, 'utf8').then(text => JSON.parse(text) as { ok: boolean }, () => undefined), 60_000, 'the install to end')
}

/**
 * Waits until the node of the profile is a process the stand-in `label` became (after one labelled
 * `after` ran, if given) and its API answers; resolves with its pid.
 */
async function nodeRunning (desk: Desk, label: string, { after }: { after?: string } = {}): Promise<number> {
  return await eventually(async () => {
    const marks = await readMarks(desk.marks)
    const from = after === undefined ? 0 : marks.findIndex(([mark]) => mark === after)
    if (from < 0) return undefined
    const api = await readApiFile(desk.home)
    if (api === undefined || !marks.slice(from).some(([mark, pid]) => mark === label && pid === api.pid)) return undefined
    return await apiAnswers(api.url, api.token) ? api.pid : undefined
  }, 60_000, `the ${label} version to run and answer`)
}

async function stillRunsUnchanged (desk: Desk, old: ChildProcess): Promise<void> {
  assert.equal(await nodeRunning(desk, 'old'), old.pid)
  assert.equal(await readFile(desk.executable, 'utf8'), standIn('old', 'runs', desk.marks))
  assert.deepEqual(await readdir(join(desk.executable, '..')).then(names => names.filter(name => name !== 'filler')), ['causette'])
  assert.equal(await logged(desk, 'installed'), undefined)
  await stopPid(old.pid!)
}

/** What the running node's status says of being locked. */
async function statusLocked (desk: Desk): Promise<boolean | undefined> {
  const api = (await readApiFile(desk.home))!
  const status = await fetch(`${api.url}/api/v1/status`, { headers: { authorization: `Bearer ${api.token}` } })
  return (await status.json() as { locked?: boolean }).locked
}

async function apiAnswers (url: string, token: string): Promise<boolean> {
  return await fetch(`${url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } }).then(response => response.ok, () => false)
}

async function logged (desk: Desk, event: UpdateLogLine['event']): Promise<UpdateLogLine | undefined> {
  return (await readUpdateLog(desk.home)).find(line => line.event === event)
}

async function exitCode (child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  const [code] = await once(child, 'exit') as [number | null]
  return code
}
