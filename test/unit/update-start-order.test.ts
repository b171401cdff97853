// A new version on trial gets a newer release at once: its update service finds it complete in the
// store (the old version fetched it while waiting for its quiet moment) or fetches it from a colleague
// who greets the node as its host starts, while `causette start` has not yet confirmed the trial. The
// install then waits for that confirmation; before, it was refused ("a new version is on trial") and
// the release was not offered again until the next start.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { TRIAL_WATCHER_ENV } from '../../core/update/swap/restart.js'
import { StartSwap } from '../../core/update/swap/start-wiring.js'
import { readTrial, writeTrial } from '../../core/update/swap/trial.js'
import { tempHome } from '../helpers/nodes.js'

test('a release handed to the installer before the start confirmed its own trial is installed once it is confirmed', async (t) => {
  const home = await tempHome(t)
  const executable = join(home, 'causette')
  await writeFile(executable, '0.2.0', { mode: 0o755 })
  await writeTrial(home, { from: '0.1.0', to: '0.2.0', startedAt: Date.now(), attempts: 0, trialMs: 60_000 })
  const env = { CAUSETTE_EXECUTABLE: executable, CAUSETTE_UPDATE_QUIET_MS: '1', [TRIAL_WATCHER_ENV]: String(process.pid) }
  const swap = new StartSwap({ home, currentVersion: '0.2.0', restartArgs: [], env, log: () => {} })
  assert.equal(await swap.settle(), undefined)

  const releasePath = join(home, 'release-0.3.0')
  await writeFile(releasePath, '0.3.0')
  const installing = swap.installer!.install({ version: '0.3.0', target: 'linux-x64', path: releasePath, sha256: createHash('sha256').update('0.3.0').digest('hex') })

  const api = createServer((_request, response) => { response.setHeader('connection', 'close'); response.end('{}') })
  api.listen(0, '127.0.0.1')
  await once(api, 'listening')
  t.after(() => { api.close() })
  await swap.confirm({ url: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, token: 'token' })

  await installing
  assert.equal(await readFile(executable, 'utf8'), '0.3.0')
  assert.deepEqual((({ from, to }) => ({ from, to }))((await readTrial(home))!), { from: '0.2.0', to: '0.3.0' })
})
