// The start hooks in the real release executables: two linux-x64 builds (versions 0.1.0 and 0.2.0)
// installed as a person's desk has them, run with nothing but an empty PATH and a HOME. The new one
// on trial confirms its own health (isPackaged: it settles and confirms as process.execPath); started
// again with its trial unconfirmed, it puts the previous one back and hands over to it.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { readApiFile } from '../../core/api/api-file.js'
import { previousExecutable } from '../../core/runtime/kept-executables.js'
import { trialFile } from '../../core/update/swap/swap-paths.js'
import { readUpdateLog } from '../../core/update/swap/update-log.js'
import { buildRelease } from '../helpers/executable.js'
import { isAlive, stopPid } from '../helpers/swap-executables.js'
import { eventually } from '../helpers/nodes.js'

interface Builds { old: string, new: string }

describe('the swap in the release executables', () => {
  let builds: Builds
  const cleanups: Array<() => Promise<void>> = []
  after(async () => { for (const cleanup of cleanups) await cleanup() })
  before(async () => {
    const teardown = { after: (cleanup: () => Promise<void>) => { cleanups.push(cleanup) } }
    const old = await buildRelease(teardown, ['linux-x64'], { version: '0.1.0' })
    const next = await buildRelease(teardown, ['linux-x64'], { version: '0.2.0' })
    builds = { old: join(old.outDir, 'causette-0.1.0-linux-x64'), new: join(next.outDir, 'causette-0.2.0-linux-x64') }
  })

  it('a new version on trial confirms its health, with the previous one kept beside it', async (t) => {
    const desk = await swappedDesk(t, builds, 0)
    await start(t, desk)
    const pid = await runningVersion(desk, '0.2.0')
    await eventually(async () => (await readUpdateLog(desk.home)).find(line => line.event === 'confirmed'), 60_000, 'the trial to be confirmed')
    await assert.rejects(readFile(trialFile(desk.home)), { code: 'ENOENT' })
    assert.deepEqual(await readFile(previousExecutable(desk.executable)), await readFile(builds.old))
    await stopPid(pid)
  })

  it('a new version started again with its trial unconfirmed hands over to the previous one', async (t) => {
    const desk = await swappedDesk(t, builds, 1)
    const started = await start(t, desk)
    assert.equal((await once(started, 'exit'))[0], 0)
    const pid = await runningVersion(desk, '0.1.0')
    const rolledBack = (await readUpdateLog(desk.home)).find(line => line.event === 'rolled-back')
    assert.match((rolledBack as { reason: string }).reason, /version 0\.2\.0 started again without having confirmed its health/)
    assert.deepEqual(await readFile(desk.executable), await readFile(builds.old))
    await stopPid(pid)
  })
})

interface Desk { executable: string, home: string, emptyPath: string }

/** A desk just swapped to 0.2.0 (0.1.0 kept as .previous), its trial started `attempts` times. */
async function swappedDesk (t: TestContext, builds: Builds, attempts: number): Promise<Desk> {
  const root = await mkdtemp(join(tmpdir(), 'causette-swap-desk-'))
  const desk = { executable: join(root, 'bin', 'causette'), home: join(root, 'home'), emptyPath: join(root, 'empty-path') }
  t.after(async () => {
    const api = await readApiFile(desk.home)
    if (api !== undefined && isAlive(api.pid)) process.kill(api.pid, 'SIGKILL')
    await rm(root, { recursive: true, force: true })
  })
  for (const folder of ['bin', 'home', 'empty-path']) await mkdir(join(root, folder), { mode: 0o700 })
  await copyFile(builds.new, desk.executable)
  await copyFile(builds.old, previousExecutable(desk.executable))
  await writeFile(trialFile(desk.home), JSON.stringify({ from: '0.1.0', to: '0.2.0', startedAt: Date.now(), attempts, trialMs: 600_000 }))
  return desk
}

/** `causette start` as autostart runs it: nothing but an empty PATH and a HOME, loopback, no mDNS. */
async function start (t: TestContext, desk: Desk): Promise<ReturnType<typeof spawn>> {
  const child = spawn('env', ['-i', `PATH=${desk.emptyPath}`, `HOME=${desk.home}`, desk.executable, 'start', '--home', desk.home,
    '--port', '0', '--api-port', '0', '--listen', '127.0.0.1', '--no-mdns'], { cwd: join(desk.executable, '..'), stdio: ['ignore', 'ignore', 'inherit'] })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  return child
}

/** Waits until the profile's node answers with `version`; resolves with its pid. */
async function runningVersion (desk: Desk, version: string): Promise<number> {
  return await eventually(async () => {
    const api = await readApiFile(desk.home)
    if (api === undefined) return undefined
    const status = await fetch(`${api.url}/api/v1/status`, { headers: { authorization: `Bearer ${api.token}` } })
      .then(async response => response.ok ? await response.json() as { version?: string } : undefined, () => undefined)
    return status?.version === version ? api.pid : undefined
  }, 60_000, `version ${version} to run and answer`)
}
