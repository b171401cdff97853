// The trial's open stage around an unlock typed the moment the new version's locked API came up,
// with a local HTTP server standing in for that API. Before, the unlock's open was marked only if
// the run stage had passed already: one begun while the start still asked its API, and killed in the
// open, left the open stage unmarked, and the next start ran the new version on instead of rolling back
// (CI, session 29: the update-swap test that kills the new version there waited four minutes for the old one).
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { StartSwap } from '../../core/update/swap/start-wiring.js'
import { openingMarked, readOpenStage, writeTrial } from '../../core/update/swap/trial.js'
import { tempHome } from '../helpers/nodes.js'

test('an unlock typed while the start asks its locked API waits for the run stage, and its open is marked', async (t) => {
  const home = await tempHome(t)
  await writeTrial(home, { from: '0.1.0', to: '0.2.0', startedAt: Date.now(), attempts: 0, trialMs: 60_000 })
  const swap = new StartSwap({ home, currentVersion: '0.2.0', restartArgs: [], env: { CAUSETTE_EXECUTABLE: join(home, 'causette') }, log: () => {} })
  assert.equal(await swap.settle(), undefined)

  // The locked API answers its status only once the unlock has come in.
  let answerStatus: (response: ServerResponse) => void = () => {}
  const asked = new Promise<ServerResponse>(resolve => { answerStatus = resolve })
  const api = createServer((_request, response) => { answerStatus(response) })
  api.listen(0, '127.0.0.1')
  await once(api, 'listening')
  t.after(() => { api.close() })
  const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`

  const running = swap.confirmRunning({ url, token: 'token' })
  const statusResponse = await asked
  const opening = swap.openBegun()
  statusResponse.end('{}')
  await Promise.all([running, opening])

  assert.notEqual(await readOpenStage(home), undefined, 'the run stage passed')
  assert.equal(await openingMarked(home), true, 'the open is marked: a death in it rolls the new version back')
  await swap.openEnded()
  assert.equal(await openingMarked(home), false)
})

test('an unlock that comes in before the start asks its locked API (the API serves before api.json is written) waits too', async (t) => {
  const home = await tempHome(t)
  await writeTrial(home, { from: '0.1.0', to: '0.2.0', startedAt: Date.now(), attempts: 0, trialMs: 60_000 })
  const swap = new StartSwap({ home, currentVersion: '0.2.0', restartArgs: [], env: { CAUSETTE_EXECUTABLE: join(home, 'causette') }, log: () => {} })
  assert.equal(await swap.settle(), undefined)

  const opening = swap.openBegun()
  const api = createServer((_request, response) => { response.setHeader('connection', 'close'); response.end('{}') })
  api.listen(0, '127.0.0.1')
  await once(api, 'listening')
  t.after(() => { api.close() })
  await Promise.all([swap.confirmRunning({ url: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, token: 'token' }), opening])

  assert.notEqual(await readOpenStage(home), undefined, 'the run stage passed')
  assert.equal(await openingMarked(home), true, 'the open is marked: a death in it rolls the new version back')
  await swap.openEnded()
})
