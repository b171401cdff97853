// The bench's XMPP baseline (bench/prosody.ts, bench/xmpp.ts): a private prosody with two accounts,
// Alice here and Bruno answering receipts in another process, as `npm run bench` runs them. Every
// message Alice sends comes back as Bruno's receipt, and the server never outlives its user: not
// after stop, not after Ctrl-C, not after a crash. prosody comes from Debian (npm test's
// scripts/setup-test-env.sh, or the harness itself, installs it); without it a developer's run
// skips with the reason and CI fails.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { test, type TestContext } from 'node:test'
import { chatMessage, receipts, withXmppPair } from '../../bench/xmpp.js'
import { underLoad } from '../helpers/deadline.js'
import { runningUnderCi } from '../helpers/lan-requirement.js'

function alive (pid: number): boolean {
  try { process.kill(pid, 0); return true } catch { return false }
}

/** Asserts that the server and its directory are gone; removes what a failure left behind. */
async function gone (pid: number, directory: string): Promise<void> {
  const deadline = Date.now() + underLoad(5_000)
  while (alive(pid) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
  try {
    assert.equal(alive(pid), false, `prosody (pid ${pid}) is still running`)
    assert.equal(existsSync(directory), false, `its directory ${directory} is still there`)
  } finally {
    if (alive(pid)) process.kill(pid, 'SIGKILL')
    rmSync(directory, { recursive: true, force: true })
  }
}

function unavailable (t: TestContext, reason: string): void {
  if (runningUnderCi()) assert.fail(`the prosody baseline must run under CI: ${reason}`)
  t.skip(reason)
}

test('prosody baseline: each of Alice\'s messages comes back as Bruno\'s receipt, and stop leaves nothing behind', async (t) => {
  let server: { pid: number, directory: string } | undefined
  const result = await withXmppPair(async ({ alice, bruno, server: started }) => {
    server = { pid: started.pid, directory: started.directory }
    const back = receipts(alice)
    const ids = Array.from({ length: 20 }, (_, i) => `test-${i}`)
    for (const id of ids) await alice.send(chatMessage(bruno, id))
    await back.next(ids.length)
    return back.received
  })
  if (!Array.isArray(result)) { unavailable(t, result.unavailable); return }
  assert.deepEqual([...result].sort(), Array.from({ length: 20 }, (_, i) => `test-${i}`).sort())
  await gone(server!.pid, server!.directory)
})

for (const ending of ['SIGINT', 'crash'] as const) {
  test(`prosody baseline: ${ending === 'crash' ? 'a crash' : 'Ctrl-C'} of the process that started prosody stops it and removes its directory`, async (t) => {
    const holder = spawn(process.execPath, ['--import', 'tsx', new URL('../helpers/prosody-holder.ts', import.meta.url).pathname, ending === 'crash' ? 'crash' : 'wait'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    holder.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const exited = new Promise<void>(resolve => holder.once('exit', () => { resolve() }))
    const line = await Promise.race([
      new Promise<string>(resolve => createInterface({ input: holder.stdout }).once('line', resolve)),
      exited.then(() => undefined)
    ])
    if (line === undefined) { unavailable(t, `the holder ended before prosody started: ${stderr.trim()}`); return }
    const { pid, directory } = JSON.parse(line) as { pid: number, directory: string }
    assert.equal(alive(pid), true)
    if (ending === 'SIGINT') holder.kill('SIGINT')
    await exited
    await gone(pid, directory)
  })
}
