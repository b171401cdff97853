// The passphrase through the real `causette` command, as a user would: two daemons exchange a
// message; `passphrase set` is refused while the node runs, then protects the stopped profile; a
// start with a wrong passphrase is refused (exit 1) and touches nothing; a start with none and no
// terminal waits locked (holding the profile: a second start is refused), refuses a wrong passphrase
// over its API and opens the same history with the right one, then receives as usual; no message
// text is in plain in either node's LevelDB files.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test, type TestContext } from 'node:test'
import { readApiFile } from '../../core/api/api-file.js'
import type { LockedStatus, MessageView, NodeStatus } from '../../core/api/schema.js'
import { toBase64Url } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { cliArgs } from '../helpers/built-cli.js'
import { eventually, tempHome } from '../helpers/nodes.js'

const WAIT_MS = 30_000
const PASSPHRASE = 'correct horse battery staple'

interface Result { code: number, stdout: string, stderr: string }

/** Runs `causette …` to its end; `stdin` is written to its standard input, else none. */
async function causette (args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Result> {
  return await new Promise(resolve => {
    const child = execFile(process.execPath, [...cliArgs(), ...args], { env: { ...withoutPassphrase(), ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr })
    })
    child.stdin!.end(stdin ?? '')
  })
}

function withoutPassphrase (): NodeJS.ProcessEnv {
  const { CAUSETTE_PASSPHRASE: _, ...env } = process.env
  return env
}

interface Daemon { home: string, peerId: string, addresses: string[], stop: () => Promise<void>, stderr: () => string }
/** The first line of a node that started locked (`causette start --json` with nobody to type the passphrase). */
interface LockedLine { locked: true, appUrl: string }

async function startDaemon (t: TestContext, home: string, name: string, extra: string[] = [], env: Record<string, string> = {}, stdin?: string): Promise<Daemon> {
  const args = ['start', '--home', home, '--name', name, '--port', '0', '--api-port', '0', '--listen', '127.0.0.1', '--no-mdns', '--json', ...extra]
  const child = spawn(process.execPath, [...cliArgs(), ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...withoutPassphrase(), ...env } })
  child.stdin.end(stdin ?? '')
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    process.stderr.write(chunk)
  })
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    await once(child, 'exit')
  }
  t.after(stop)
  const exited = once(child, 'exit').then(([code]) => { throw new Error(`causette start exited (${String(code)}) before its first line: ${stderr}`) })
  const [line] = await Promise.race([once(createInterface({ input: child.stdout }), 'line') as Promise<[string]>, exited])
  exited.catch(() => {})
  return { home, ...JSON.parse(line) as { peerId: string, addresses: string[] }, stop, stderr: () => stderr }
}

/** POST /unlock on the locked node, as the app does. */
async function unlock (api: { url: string, token: string }, passphrase: string): Promise<Response> {
  return await fetch(`${api.url}/api/v1/unlock`, { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ passphrase }) })
}

async function cliJson<T> (home: string, ...args: string[]): Promise<T> {
  const result = await causette([...args, '--home', home, '--json'])
  assert.equal(result.code, 0, `causette ${args.join(' ')}: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

/** Every file under `dir`, path → content (base64), to show that nothing changed. */
async function snapshot (dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name)
    if ((await stat(path)).isFile()) files[name] = (await readFile(path)).toString('base64')
  }
  return files
}

async function filesContaining (dir: string, text: string): Promise<string[]> {
  const found: string[] = []
  for (const [name, content] of Object.entries(await snapshot(dir))) {
    if (Buffer.from(content, 'base64').includes(Buffer.from(text))) found.push(name)
  }
  return found
}

test('causette passphrase set protects a stopped profile: a wrong passphrase refused, none without a terminal waits locked for the app, the right one opens the same history, no text in plain on disk', async (t) => {
  const aliceHome = await tempHome(t, 'causette-pass-alice-')
  const bobHome = await tempHome(t, 'causette-pass-bob-')
  const alice = await startDaemon(t, aliceHome, 'alice')
  const bob = await startDaemon(t, bobHome, 'bob', ['--peer', alice.addresses[0]!])
  const text = `at-rest-${toBase64Url(randomBytes(12))}`
  const sent = await cliJson<MessageView>(bobHome, 'send', alice.peerId, text)
  await eventually(async () => (await cliJson<MessageView[]>(aliceHome, 'messages', '--with', bob.peerId)).find(m => m.id === sent.id), WAIT_MS, 'alice to receive the message')

  // Refused while the node runs.
  const running = await causette(['passphrase', 'set', '--home', aliceHome], { CAUSETTE_PASSPHRASE: PASSPHRASE })
  assert.equal(running.code, 1)
  assert.match(running.stderr, /running on this profile: stop it first/)
  await alice.stop()
  await bob.stop()

  const set = await causette(['passphrase', 'set', '--home', aliceHome, '--passphrase-stdin'], {}, `${PASSPHRASE}\n`)
  assert.equal(set.code, 0, set.stderr)
  assert.match(set.stdout, /passphrase set/)
  const masterKeyFile = JSON.parse(await readFile(join(aliceHome, 'master-key.json'), 'utf8'))
  assert.equal(masterKeyFile.passphrase.alg, 'argon2id13')
  assert.equal(masterKeyFile.key, undefined)

  // A wrong passphrase given: refused with exit code 1, nothing touched.
  const before = await snapshot(aliceHome)
  const wrong = await causette(['start', '--home', aliceHome, '--port', '0', '--api-port', '0', '--no-mdns'], { CAUSETTE_PASSPHRASE: 'incorrect horse' })
  assert.equal(wrong.code, 1)
  assert.match(wrong.stderr, /wrong passphrase/)
  assert.deepEqual(await snapshot(aliceHome), before, 'a refused start touches nothing in the profile')

  // None, and no terminal (as at login, from the menu entry, by a double-click): the node starts
  // locked, in the background, and waits for the passphrase over its API.
  const locked = await startDaemon(t, aliceHome, 'alice') as Daemon & LockedLine
  assert.equal(locked.locked, true)
  const lockedStatus = await cliJson<LockedStatus>(aliceHome, 'status')
  assert.deepEqual({ ...lockedStatus, version: '' }, { locked: true, profile: aliceHome, name: 'alice', version: '' })
  const api = await readApiFile(aliceHome)
  assert.ok(api !== undefined)
  // The locked node holds the profile: a second start, locked or given the passphrase, is refused
  // and leaves the first one's runtime file (which stop and status read) alone.
  for (const env of [{}, { CAUSETTE_PASSPHRASE: PASSPHRASE }] as Array<Record<string, string>>) {
    await assert.rejects(startDaemon(t, aliceHome, 'alice', [], env), /exited \(1\) before its first line: .*causette is running already on/s)
  }
  assert.deepEqual(await readApiFile(aliceHome), api)
  const refused = await unlock(api, 'incorrect horse')
  assert.equal(refused.status, 403)
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'PASSPHRASE_WRONG')
  assert.equal((await cliJson<LockedStatus>(aliceHome, 'status')).locked, true, 'still locked')
  const opened = await unlock(api, PASSPHRASE)
  assert.equal(opened.status, 200)
  assert.deepEqual(await opened.json(), { locked: false })

  // The same identity and history, and the node works as usual: status, a new message from bob.
  const status = await cliJson<NodeStatus>(aliceHome, 'status')
  assert.equal(status.peerId, alice.peerId)
  const history = await cliJson<MessageView[]>(aliceHome, 'messages', '--with', bob.peerId)
  assert.equal(history.find(m => m.id === sent.id)?.text, text)
  const bobAgain = await startDaemon(t, bobHome, 'bob', ['--peer', status.addresses[0]!])
  const later = await cliJson<MessageView>(bobHome, 'send', alice.peerId, 'after the unlock')
  await eventually(async () => (await cliJson<MessageView[]>(aliceHome, 'messages', '--with', bob.peerId)).find(m => m.id === later.id), WAIT_MS, 'alice to receive a message after the unlock')
  const log = await readFile(join(aliceHome, 'causette.log'), 'utf8').catch(() => '')
  assert.doesNotMatch(log + locked.stderr(), new RegExp(PASSPHRASE), 'the passphrase is in no log')
  await bobAgain.stop()
  await locked.stop()

  // The right one (from standard input) opens the same identity and history.
  const again = await startDaemon(t, aliceHome, 'alice', ['--passphrase-stdin'], {}, `${PASSPHRASE}\n`)
  assert.equal(again.peerId, alice.peerId)
  assert.equal((await cliJson<MessageView[]>(aliceHome, 'messages', '--with', bob.peerId)).find(m => m.id === later.id)?.text, 'after the unlock')
  await again.stop()

  // Neither node's database holds the text in plain (the journal holds salted hashes only).
  for (const home of [aliceHome, bobHome]) assert.deepEqual(await filesContaining(join(home, 'db'), text), [], home)

  // Removed: the profile opens without a passphrase again.
  const removed = await causette(['passphrase', 'remove', '--home', aliceHome], { CAUSETTE_PASSPHRASE: PASSPHRASE })
  assert.equal(removed.code, 0, removed.stderr)
  const open = await startDaemon(t, aliceHome, 'alice')
  assert.equal(open.peerId, alice.peerId)
  await open.stop()
})
