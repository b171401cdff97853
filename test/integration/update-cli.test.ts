// `causette update` as an admin uses it, against a node with its local API: the release file is
// streamed to the daemon over HTTP (application/vnd.causette.release), checked there, and refused
// with its code when bad; `update status` says what runs where.
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import { startApiServer } from '../../core/api/server.js'
import type { UpdateStatus } from '../../core/api/schema.js'
import { causette } from '../helpers/cli-process.js'
import { testNode } from '../helpers/nodes.js'
import { makeRelease, testReleaseKey, type TestRelease } from '../helpers/release.js'

let root: string
let release: TestRelease

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'causette-update-cli-'))
  release = await makeRelease(join(root, 'r'), { version: '0.2.0', targets: ['linux-x64', 'win-x64'] })
})
after(async () => { await rm(root, { recursive: true, force: true }) })

it('causette update apply streams the file to the daemon, status shows it, a bad file is refused with its code', async (t) => {
  const home = join(root, 'admin')
  const node = await testNode(t, { name: 'alice', home, update: { releaseKey: testReleaseKey().verifierKey, version: '0.1.0', target: 'linux-x64' } })
  const api = await startApiServer({ node, home, port: 0, uiDir: undefined, log: () => {} })
  t.after(async () => { await api.close() })

  const refusedAsMember = await causette('update', 'apply', release.bundle, '--home', home)
  assert.equal(refusedAsMember.code, 1)
  assert.match(refusedAsMember.stderr, /WORKSPACE_NONE|admin/)

  await node.createWorkspace('Acme')
  const truncated = join(root, 'truncated.causette-release')
  const bytes = await readFile(release.bundle)
  await writeFile(truncated, bytes.subarray(0, bytes.length - 10))
  const refused = await causette('update', 'apply', truncated, '--home', home)
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /UPDATE_TRUNCATED|truncated/)

  const applied = await causette('update', 'apply', release.bundle, '--home', home)
  assert.equal(applied.code, 0, applied.stderr)
  assert.match(applied.stdout, /release 0\.2\.0: linux-x64, win-x64/)

  const again = await causette('update', 'apply', release.bundle, '--home', home)
  assert.equal(again.code, 1)
  assert.match(again.stderr, /not newer/)

  const status = JSON.parse((await causette('update', 'status', '--home', home, '--json')).stdout) as UpdateStatus
  assert.equal(status.release?.version, '0.2.0')
  assert.deepEqual(status.desks.map(d => [d.name, d.version]), [['alice', '0.1.0']])
  const words = await causette('update', 'status', '--home', home)
  assert.match(words.stdout, /^0 of 1 desks on 0\.2\.0$/m)

  const paused = await causette('update', 'pause', '--home', home)
  assert.equal(paused.code, 0, paused.stderr)
  assert.match(paused.stdout, /updates paused by alice/)
})
