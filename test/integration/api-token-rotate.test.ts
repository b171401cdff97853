// `causette token rotate`: a new token for a stopped profile; the daemon started next accepts only it,
// and the command is refused while a node runs on the profile.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startApiServer } from '../../core/api/server.js'
import { loadOrCreateApiToken } from '../../core/api/token.js'
import { runCli } from '../../core/cli/run.js'
import { tempHome, testNode } from '../helpers/nodes.js'

async function rotate (home: string): Promise<{ code: number, out: string[], err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(['token', 'rotate', '--home', home], { out: line => { out.push(line) }, err: line => { err.push(line) }, env: {} })
  return { code, out, err }
}

test('causette token rotate replaces the token of a stopped profile, and is refused while the node runs', async t => {
  const home = await tempHome(t)
  const old = await loadOrCreateApiToken(home)
  const node = await testNode(t, { home, name: 'alice' })
  const refused = await rotate(home)
  assert.equal(refused.code, 1)
  assert.match(refused.err.join('\n'), /stop it first, then rotate the token/)
  assert.equal(await loadOrCreateApiToken(home), old)
  await node.stop()

  const rotated = await rotate(home)
  assert.equal(rotated.code, 0, rotated.err.join('\n'))
  const fresh = await loadOrCreateApiToken(home)
  assert.notEqual(fresh, old)
  assert.doesNotMatch(rotated.out.join('\n'), new RegExp(fresh))

  const again = await testNode(t, { home, name: 'alice' })
  const api = await startApiServer({ node: again, home, port: 0, uiDir: undefined })
  t.after(async () => { await api.close() })
  const status = async (token: string): Promise<number> => (await fetch(`${api.url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } })).status
  assert.equal(await status(old), 401)
  assert.equal(await status(fresh), 200)
})
