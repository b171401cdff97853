// The old version watching the new one's trial, with a fake new version (a shell script that
// confirms its health by removing the trial file, as confirmHealthy does).
import assert from 'node:assert/strict'
import { access, chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { trialFile } from '../../core/update/swap/swap-paths.js'
import { restartIntoTrial } from '../../core/update/swap/trial-watch.js'
import { writeTrial } from '../../core/update/swap/trial.js'
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
