// The swap's file steps and the start hooks on real files in a temporary directory: the swap keeps
// the previous version, a bad hash changes nothing, a trial is counted, confirmed or rolled back
// exactly once (in either stage of a locked node's trial), and settling again changes nothing.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { createSwapInstaller } from '../../core/update/swap/installer.js'
import { ALWAYS_QUIET } from '../../core/update/swap/quiet-moment.js'
import { confirmHealthy, rollBackAtDeadline, rollBackOpenStage, settleTrialAtStart } from '../../core/update/swap/start-hooks.js'
import { restorePrevious, swapExecutable } from '../../core/update/swap/swap-executable.js'
import { failedExecutable, previousExecutable } from '../../core/runtime/kept-executables.js'
import { rollbackClaimFile, trialFile, type SwapPaths } from '../../core/update/swap/swap-paths.js'
import { rollBack } from '../../core/update/swap/rollback.js'
import { markOpening, openingMarked, passRunStage, readTrial, trialPending, writeTrial, type Trial } from '../../core/update/swap/trial.js'
import { readUpdateLog } from '../../core/update/swap/update-log.js'
import { markStopRequested, stopRequestedOf } from '../../core/runtime/stop-request.js'
import { tempHome } from '../helpers/nodes.js'

async function desk (t: TestContext): Promise<SwapPaths & { dir: string }> {
  const dir = await tempHome(t, 'causette-swap-unit-')
  await mkdir(join(dir, 'bin'))
  await mkdir(join(dir, 'home'))
  const executable = join(dir, 'bin', 'causette')
  await writeFile(executable, 'old version', { mode: 0o755 })
  await writeFile(previousExecutable(executable), 'older version', { mode: 0o755 })
  return { dir, executable, home: join(dir, 'home') }
}

async function release (dir: string, content: string): Promise<{ version: string, target: string, path: string, sha256: string }> {
  const path = join(dir, `release-${content}`)
  await writeFile(path, content)
  return { version: content, target: 'linux-x64', path, sha256: createHash('sha256').update(content).digest('hex') }
}

const trial = (over: Partial<Trial> = {}): Trial => ({ from: 'old', to: 'new', startedAt: 1_000, attempts: 0, trialMs: 60_000, ...over })

describe('swapExecutable', () => {
  it('puts the release in place, executable, and keeps the current one as .previous', async (t) => {
    const paths = await desk(t)
    await swapExecutable(paths.executable, await release(paths.dir, 'new version'))
    assert.equal(await readFile(paths.executable, 'utf8'), 'new version')
    assert.equal((await stat(paths.executable)).mode & 0o777, 0o755)
    assert.equal(await readFile(previousExecutable(paths.executable), 'utf8'), 'old version')
    assert.deepEqual((await readdir(join(paths.dir, 'bin'))).sort(), ['causette', 'causette.previous'])
  })

  it('changes nothing when the file is not the one verified', async (t) => {
    const paths = await desk(t)
    const verified = await release(paths.dir, 'new version')
    await writeFile(verified.path, 'new version, tampered')
    await assert.rejects(swapExecutable(paths.executable, verified), { code: 'UPDATE_SWAP_HASH_MISMATCH' })
    assert.equal(await readFile(paths.executable, 'utf8'), 'old version')
    assert.equal(await readFile(previousExecutable(paths.executable), 'utf8'), 'older version')
    assert.deepEqual((await readdir(join(paths.dir, 'bin'))).sort(), ['causette', 'causette.previous'])
  })

  it('changes nothing when the release file is missing, and names the step', async (t) => {
    const paths = await desk(t)
    await assert.rejects(swapExecutable(paths.executable, { ...await release(paths.dir, 'x'), path: join(paths.dir, 'absent') }), (error: Error & { code: string }) => {
      assert.equal(error.code, 'UPDATE_SWAP_FAILED')
      assert.match(error.message, /reading the release file failed/)
      return true
    })
    assert.equal(await readFile(paths.executable, 'utf8'), 'old version')
  })

  it('restores .previous once; a second restore changes nothing', async (t) => {
    const paths = await desk(t)
    assert.equal(await restorePrevious(paths.executable), 'restored')
    assert.equal(await readFile(paths.executable, 'utf8'), 'older version')
    assert.equal(await readFile(failedExecutable(paths.executable), 'utf8'), 'old version')
    assert.equal(await restorePrevious(paths.executable), 'nothing-to-restore')
    assert.equal(await readFile(paths.executable, 'utf8'), 'older version')
  })
})

describe('settling a trial at start', () => {
  it('does nothing without a trial', async (t) => {
    const paths = await desk(t)
    assert.deepEqual(await settleTrialAtStart(paths), { kind: 'no-trial' })
    assert.equal(await readFile(paths.executable, 'utf8'), 'old version')
  })

  it('counts the first start, then rolls back a second start that never confirmed; settling again changes nothing', async (t) => {
    const paths = await desk(t)
    await writeTrial(paths.home, trial())
    const first = await settleTrialAtStart(paths, { now: () => 2_000, env: {} })
    assert.deepEqual(first, { kind: 'on-trial', trial: trial({ startedAt: 2_000, attempts: 1 }), watched: false })
    assert.deepEqual(await readTrial(paths.home), trial({ startedAt: 2_000, attempts: 1 }))

    const second = await settleTrialAtStart(paths, { now: () => 3_000, env: {} })
    assert.equal(second.kind, 'rolled-back')
    assert.equal((second as { restart: boolean }).restart, true)
    assert.equal(await readFile(paths.executable, 'utf8'), 'older version')

    assert.deepEqual(await settleTrialAtStart(paths, { now: () => 4_000, env: {} }), { kind: 'no-trial' })
    assert.equal(await readFile(paths.executable, 'utf8'), 'older version')
    const rolledBack = (await readUpdateLog(paths.home)).filter(line => line.event === 'rolled-back')
    assert.equal(rolledBack.length, 1)
    assert.match((rolledBack[0] as { reason: string }).reason, /started again without having confirmed/)
  })

  // Before, a start after `causette stop` had stopped the new version during its trial rolled it back as if it had crashed.
  it('gives a start after a stop asked during the trial the trial again, once; a damaged trial file is still rolled back', async (t) => {
    const paths = await desk(t)
    await writeTrial(paths.home, trial({ startedAt: 2_000, attempts: 1 }))
    await markStopRequested(paths.home, 4321)
    const settled = await settleTrialAtStart(paths, { now: () => 3_000, env: {} })
    assert.deepEqual(settled, { kind: 'on-trial', trial: trial({ startedAt: 3_000, attempts: 2 }), watched: false })
    assert.equal(await stopRequestedOf(paths.home), undefined, 'the mark answered for once')
    assert.equal((await settleTrialAtStart(paths, { now: () => 4_000, env: {} })).kind, 'rolled-back', 'a start again with no stop asked')

    const damaged = await desk(t)
    await writeFile(trialFile(damaged.home), '{"from": "old", "to": ')
    await markStopRequested(damaged.home, 4321)
    assert.equal((await settleTrialAtStart(damaged, { now: () => 2_000, env: {} })).kind, 'rolled-back')
  })

  it('gives the first start its whole time, even when the old version stopped long after the swap', async (t) => {
    const paths = await desk(t)
    await writeTrial(paths.home, trial())
    const settled = await settleTrialAtStart(paths, { now: () => 500_000, env: {} })
    assert.deepEqual(settled, { kind: 'on-trial', trial: trial({ startedAt: 500_000, attempts: 1 }), watched: false })
    assert.equal(await readFile(paths.executable, 'utf8'), 'old version')
  })

  it('knows when the old process watches the trial', async (t) => {
    const paths = await desk(t)
    await writeTrial(paths.home, trial())
    const settled = await settleTrialAtStart(paths, { now: () => 2_000, env: { CAUSETTE_TRIAL_WATCHER: '1234' } })
    assert.equal(settled.kind === 'on-trial' && settled.watched, true)
  })

  it('rolls back a trial file that does not parse', async (t) => {
    const paths = await desk(t)
    await writeFile(trialFile(paths.home), '{"from": "old", "to": ')
    const settled = await settleTrialAtStart(paths, { now: () => 2_000, env: {} })
    assert.equal(settled.kind, 'rolled-back')
    assert.equal(await readFile(paths.executable, 'utf8'), 'older version')
  })

  it('finishes a rollback that was claimed and interrupted', async (t) => {
    const paths = await desk(t)
    await writeTrial(paths.home, trial())
    await rename(trialFile(paths.home), rollbackClaimFile(paths.home))
    const settled = await settleTrialAtStart(paths, { now: () => 2_000, env: {} })
    assert.equal(settled.kind === 'rolled-back' && settled.restart, true)
    assert.equal(await readFile(paths.executable, 'utf8'), 'older version')
    assert.deepEqual(await settleTrialAtStart(paths, { now: () => 2_000, env: {} }), { kind: 'no-trial' })
  })

  it('lets exactly one of confirm and rollback win', async (t) => {
    const confirmedFirst = await desk(t)
    await writeTrial(confirmedFirst.home, trial())
    assert.equal(await confirmHealthy(confirmedFirst), true)
    assert.deepEqual(await rollBack(confirmedFirst, 'late'), { rolledBack: false, restored: false })
    assert.equal(await readFile(confirmedFirst.executable, 'utf8'), 'old version')
    assert.equal(await confirmHealthy(confirmedFirst), false)

    const rolledBackFirst = await desk(t)
    await writeTrial(rolledBackFirst.home, trial())
    assert.deepEqual(await rollBack(rolledBackFirst, 'time is up'), { rolledBack: true, restored: true })
    assert.equal(await confirmHealthy(rolledBackFirst), false)
  })

  it('a locked start passes the run stage or loses it to the rollback, once; restarts keep the open stage; the first open confirms it or rolls it back, once', async (t) => {
    const opens = await desk(t)
    await writeTrial(opens.home, trial({ attempts: 1 }))
    assert.equal(await passRunStage(opens.home), true)
    assert.deepEqual(await rollBack(opens, 'time is up'), { rolledBack: false, restored: false }, 'the deadline no longer applies')
    assert.deepEqual(await settleTrialAtStart(opens, { now: () => 9_000, env: {} }), { kind: 'awaiting-open', trial: trial({ attempts: 1 }) })
    assert.equal(await confirmHealthy(opens), true)
    assert.deepEqual(await rollBackOpenStage(opens, 'late'), { rolledBack: false, restored: false })
    assert.equal(await readFile(opens.executable, 'utf8'), 'old version')
    assert.deepEqual(await settleTrialAtStart(opens, { now: () => 9_000, env: {} }), { kind: 'no-trial' })

    const claimedFirst = await desk(t)
    await writeTrial(claimedFirst.home, trial({ attempts: 1 }))
    assert.equal((await rollBack(claimedFirst, 'time is up')).rolledBack, true)
    assert.equal(await passRunStage(claimedFirst.home), false)

    const cannotOpen = await desk(t)
    await writeTrial(cannotOpen.home, trial({ attempts: 1 }))
    await passRunStage(cannotOpen.home)
    assert.deepEqual(await rollBackOpenStage(cannotOpen, 'version new could not open the profile'), { rolledBack: true, restored: true })
    assert.equal(await confirmHealthy(cannotOpen), false)
    assert.equal(await readFile(cannotOpen.executable, 'utf8'), 'older version')
    assert.deepEqual((await readUpdateLog(cannotOpen.home)).map(line => line.event), ['rolled-back'])
  })

  it('rolls back, at the next start, an open begun in the open stage that never ended; a mark left after the open stage ended is dropped', async (t) => {
    const died = await desk(t)
    await writeTrial(died.home, trial({ attempts: 1 }))
    await passRunStage(died.home)
    assert.equal(await trialPending(died.home), true)
    await markOpening(died.home)
    const settled = await settleTrialAtStart(died, { now: () => 9_000, env: {} })
    assert.equal(settled.kind === 'rolled-back' && settled.restart, true)
    assert.match(settled.kind === 'rolled-back' ? settled.reason : '', /version new stopped while opening the profile after the unlock/)
    assert.equal(await readFile(died.executable, 'utf8'), 'older version')
    assert.equal(await confirmHealthy(died), false)
    assert.equal(await openingMarked(died.home), false)
    assert.equal(await trialPending(died.home), false)

    const ended = await desk(t)
    await writeTrial(ended.home, trial({ attempts: 1 }))
    await passRunStage(ended.home)
    await markOpening(ended.home)
    await rollBackOpenStage(ended, 'version new could not open the profile')
    assert.deepEqual(await settleTrialAtStart(ended, { now: () => 9_000, env: {} }), { kind: 'no-trial' })
    assert.equal(await openingMarked(ended.home), false)
    assert.deepEqual((await readUpdateLog(ended.home)).map(line => line.event), ['rolled-back'])
  })
})

describe('a trial nobody else watches', () => {
  it('is rolled back by the new version itself at its deadline', async (t) => {
    const paths = await desk(t)
    const onTrial = trial({ startedAt: Date.now(), trialMs: 100 })
    await writeTrial(paths.home, onTrial)
    const restored = await new Promise<boolean>(resolve => { rollBackAtDeadline(paths, onTrial, resolve) })
    assert.equal(restored, true)
    assert.equal(await readFile(paths.executable, 'utf8'), 'older version')
    assert.match((await readUpdateLog(paths.home))[0]!.event, /rolled-back/)
  })

  // The old process wrote startedAt by a clock an hour ahead, set right before the new version started
  // (NTP after a wake): the deadline was an hour away, and a hung version ran on unwatched that long.
  it('is rolled back within its trial time when the system clock was set back since its start was written', async (t) => {
    const paths = await desk(t)
    const onTrial = trial({ startedAt: Date.now() + 3_600_000, trialMs: 100 })
    await writeTrial(paths.home, onTrial)
    const restored = await new Promise<boolean>(resolve => { rollBackAtDeadline(paths, onTrial, resolve) })
    assert.equal(restored, true)
  })
})

describe('the installer', () => {
  const installer = (paths: SwapPaths | undefined, requestRestart: () => void = () => {}) =>
    createSwapInstaller({ paths, currentVersion: 'old', trialMs: 60_000, quiet: ALWAYS_QUIET, requestRestart, now: () => 5_000 })

  it('swaps, records the trial and asks for the restart', async (t) => {
    const paths = await desk(t)
    let restarts = 0
    await installer(paths, () => { restarts++ }).install(await release(paths.dir, 'new'))
    assert.equal(restarts, 1)
    assert.deepEqual(await readTrial(paths.home), { from: 'old', to: 'new', startedAt: 5_000, attempts: 0, trialMs: 60_000 })
    assert.equal(await readFile(paths.executable, 'utf8'), 'new')
  })

  it('refuses while a trial is under way, and a version rolled back here before', async (t) => {
    const paths = await desk(t)
    await writeTrial(paths.home, trial())
    await assert.rejects(installer(paths).install(await release(paths.dir, 'newer')), { code: 'UPDATE_SWAP_REFUSED' })
    await rollBack(paths, 'time is up')
    await assert.rejects(installer(paths).install(await release(paths.dir, 'new')), { code: 'UPDATE_SWAP_REFUSED', message: /version new was rolled back/ })
    assert.equal(await readFile(paths.executable, 'utf8'), 'older version')
  })

  it('refuses while a trial waits for its first unlock', async (t) => {
    const paths = await desk(t)
    await writeTrial(paths.home, trial({ attempts: 1 }))
    await passRunStage(paths.home)
    await assert.rejects(installer(paths, () => { assert.fail('restarted') }).install(await release(paths.dir, 'newer')), { code: 'UPDATE_SWAP_REFUSED', message: /on trial/ })
    assert.equal(await readFile(paths.executable, 'utf8'), 'old version')
  })

  it('refuses in a process that does not run from an executable', async () => {
    await assert.rejects(installer(undefined).install({ version: '1', target: 'linux-x64', path: '/nonexistent', sha256: '0'.repeat(64) }), { code: 'UPDATE_SWAP_UNAVAILABLE' })
  })
})
