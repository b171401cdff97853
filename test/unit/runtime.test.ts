// core/runtime: the per-user cache directory of each platform, the source tree's version, and the
// LevelDB addon loader's SHA-256 checks (the executable's own use is in test/lan/executable.test.ts).
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { isPackaged, TARGET, VERSION } from '../../core/runtime/build-info.js'
import { userCacheDir } from '../../core/runtime/cache-dir.js'
import { loadAddon } from '../../core/runtime/packed-addon.js'
import { isTarget, targetOf } from '../../core/runtime/targets.js'

test('the cache directory is per user on every platform, never a temporary directory', () => {
  assert.equal(userCacheDir('linux', { XDG_CACHE_HOME: '/home/ann/.xdg' }, '/home/ann'), '/home/ann/.xdg/causette')
  assert.equal(userCacheDir('linux', { XDG_CACHE_HOME: 'relative' }, '/home/ann'), '/home/ann/.cache/causette')
  assert.equal(userCacheDir('linux', {}, '/home/ann'), '/home/ann/.cache/causette')
  assert.equal(userCacheDir('darwin', { XDG_CACHE_HOME: '/x' }, '/Users/ann'), '/Users/ann/Library/Caches/causette')
  assert.equal(userCacheDir('win32', { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'C:\\Users\\ann'), 'C:\\Users\\ann\\AppData\\Local\\causette\\cache')
  assert.equal(userCacheDir('win32', {}, 'C:\\Users\\ann'), 'C:\\Users\\ann\\AppData\\Local\\causette\\cache')
})

test('targets are named as the release files are', () => {
  assert.equal(targetOf('win32', 'x64'), 'win-x64')
  assert.equal(targetOf('darwin', 'arm64'), 'darwin-arm64')
  assert.ok(isTarget('linux-arm64'))
  assert.ok(!isTarget('linux-ia32'))
  assert.equal(TARGET, targetOf(process.platform, process.arch))
})

test('run from source, the version is package.json\'s and the process is not packaged', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  assert.equal(VERSION, pkg.version)
  assert.equal(isPackaged(), false)
})

// The tests run on linux-x64, as CI does.
const ADDON = createRequire(import.meta.url).resolve('classic-level/prebuilds/linux-x64/classic-level.node')

test('the addon is written once to the cache, named by its SHA-256, and loaded', async (t) => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'causette-cache-'))
  t.after(async () => { await rm(cacheDir, { recursive: true, force: true }) })
  const bytes = await readFile(ADDON)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const binding = loadAddon({ name: 'leveldb', bytes, sha256, cacheDir }) as Record<string, unknown>
  assert.equal(typeof binding.db_init, 'function')
  assert.deepEqual(await readFile(join(cacheDir, `leveldb-${sha256}.node`)), bytes)
})

test('a changed file in the cache is rewritten before it is loaded', async (t) => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'causette-cache-'))
  t.after(async () => { await rm(cacheDir, { recursive: true, force: true }) })
  const bytes = await readFile(ADDON)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const file = join(cacheDir, `leveldb-${sha256}.node`)
  await writeFile(file, 'not the addon')
  loadAddon({ name: 'leveldb', bytes, sha256, cacheDir })
  assert.deepEqual(await readFile(file), bytes)
})

test('packed bytes that do not match the recorded SHA-256 are refused, nothing written', async (t) => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'causette-cache-'))
  t.after(async () => { await rm(cacheDir, { recursive: true, force: true }) })
  assert.throws(() => loadAddon({ name: 'leveldb', bytes: new Uint8Array([1, 2, 3]), sha256: '0'.repeat(64), cacheDir }), /does not match its SHA-256/)
})
