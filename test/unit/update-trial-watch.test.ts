// The old version watching the new one's trial, with a fake new version (a shell script that
// confirms its health by removing the trial file, as confirmHealthy does).
import assert from 'node:assert/strict'
import { access, chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { trialFile } from '../../core/update/swap/swap-paths.js'
import { restartIntoTrial } from '../../core/update/swap/trial-watch.js'
import { readTrial, writeTrial } from '../../core/update/swap/trial.js'
import { RESTART_EXIT_CODE } from '../../core/update/swap/restart.js'
import { stopRequestFile } from '../../core/runtime/stop-request.js'
import { readUpdateLog } from '../../core/update/swap/update-log.js'
import { tempHome } from '../helpers/nodes.js'

// Before, the watch counted the trial by the system clock: stepped forward (NTP after a wake) as the
// new version started, its minute was over at once and the healthy version was killed and rolled back.
test('a system clock stepped an hour ahead as the trial starts does not roll back a version that confirms', async (t) => {
  const home = await tempHome(t)
  const executable = join(home, 'causette')
  // Confirms a moment after it starts: the watcher has looked at its clock by then.
  await writeFile(executable, '#!/bin/sh\nsleep 0.2\nrm -f "$1"\n')
  await chmod(executable, 0o755)
  await writeTrial(home, { from: '0.1.0', to: '0.2.0', startedAt: Date.now(), attempts: 0, trialMs: 60_000 })
  let looks = 0
  const steppedAhead = (): number => Date.now() + (looks++ === 0 ? 0 : 3_600_000)

  const code = await restartIntoTrial({ executable, home }, [trialFile(home)], { supervisor: undefined, pollMs: 20, now: steppedAhead })
  assert.equal(code, 0)
  await assert.rejects(access(trialFile(home)), 'the trial ended confirmed')
  assert.deepEqual((await readUpdateLog(home)).filter(line => /roll/.test(JSON.stringify(line))), [], 'nothing rolled back')
})

// Before, a `causette stop` that reached the new version before it confirmed made it exit, and the
// old process took that for a failure: it rolled the healthy version back and started the previous one.
test('a new version stopped on request during its trial is neither rolled back nor followed by a start; a crash still is', async (t) => {
  const home = await tempHome(t)
  const executable = join(home, 'causette')
  // As `causette stop` does (core/desk/stop-node.ts): marks the stop with the pid, then SIGTERM, which kills a shell at once.
  await writeFile(executable, '#!/bin/sh\n[ "$1" = stop ] && printf \'{"pid":%s}\' $$ > "$2"\nkill -TERM $$\n')
  await chmod(executable, 0o755)
  const trial = { from: '0.1.0', to: '0.2.0', startedAt: Date.now(), attempts: 0, trialMs: 60_000 }
  await writeTrial(home, trial)
  const rolledBack = async (): Promise<unknown[]> => (await readUpdateLog(home)).filter(line => line.event === 'rolled-back')
  // systemd: a hand-over would be its exit code, not another process started here.
  const watch = { supervisor: 'systemd' as const, pollMs: 20 }

  assert.equal(await restartIntoTrial({ executable, home }, ['stop', stopRequestFile(home)], watch), 0, 'no restart asked of systemd')
  assert.deepEqual(await rolledBack(), [])
  assert.equal((await readTrial(home))?.to, '0.2.0', 'the trial is left for the next start')

  assert.equal(await restartIntoTrial({ executable, home }, ['crash'], watch), RESTART_EXIT_CODE, 'killed by a signal nobody asked for: the previous version is started')
  assert.equal((await rolledBack()).length, 1)
})
