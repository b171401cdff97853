// Issue 4, "done when": two nodes exchange messages, one exports the conversation through its
// daemon with `causette log export`, and the file verifies with `causette log verify`, with the
// independent Python verifier of docs/examples, and extends an earlier export; a one-byte edit fails.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { startApiServer } from '../../core/api/server.js'
import { logCommand } from '../../core/cli/commands/log.js'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'

test('a conversation exported through the daemon verifies, by our code and by the documented procedure', async (t) => {
  const home = await tempHome(t)
  const alice = await testNode(t, { home, name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
  const api = await startApiServer({ node: alice, home, port: 0 })
  t.after(async () => { await api.close() })
  await waitForPeer(alice, bob.peerId)
  // Bob writes to Alice below: he must have her record, not only she his.
  await waitForPeer(bob, alice.peerId)
  const log = async (...argv: string[]): Promise<{ code: number, out: string }> => {
    const out: string[] = []
    const code = await logCommand.run({ home, json: false, argv, out: l => out.push(l), err: l => out.push(l) })
    return { code, out: out.join('\n') }
  }
  await alice.send(bob.peerId, 'Can you send me the signed quote?')
  const first = join(home, 'first.txt')
  assert.equal((await log('export', '--with', bob.peerId, '--out', first)).code, 0)
  await bob.send(alice.peerId, 'Sent: 12 400 EUR excl. VAT')
  await eventually(async () => (await alice.messages({ with: bob.peerId, limit: 200 })).length === 2 ? true : undefined)
  const second = join(home, 'second.txt')
  const exported = await log('export', '--with', bob.peerId, '--out', second)
  assert.equal(exported.code, 0, exported.out)
  assert.match(exported.out, /2 disclosed and matching/)
  assert.equal((await log('verify', second)).code, 0)
  assert.equal((await log('verify', first, second)).code, 0)
  assert.match(execFileSync('python3', ['docs/examples/verify_journal.py', second], { encoding: 'utf8' }), /^OK/)
  const text = readFileSync(second, 'utf8')
  const at = text.indexOf('\nbody ') + 20
  writeFileSync(join(home, 'edited.txt'), text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1))
  const edited = await log('verify', join(home, 'edited.txt'))
  assert.equal(edited.code, 1)
  assert.match(edited.out, /^FAILED entry \d+ \(line \d+\): the disclosed body does not match its commitment/)
})
