// Membership changes are journaled in log order, with each entry's exact bytes and signature, and the
// journal still verifies (with our verifier, and with docs/examples/verify_journal.py for a fork); a
// node that joins journals the log it adopted.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { PREKEY_ROTATION_MS } from '../../crypto/device-keys.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import type { CausetteNode } from '../../core/node/node.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'

async function exportLines (node: CausetteNode): Promise<string[]> {
  const lines: string[] = []
  for await (const line of node.exportJournal({})) lines.push(line)
  return lines
}

/** What docs/examples/verify_journal.py, written from docs/log-format.md alone, says of the node's export. */
async function pythonVerdict (node: CausetteNode): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'causette-journal-'))
  try {
    const file = join(dir, 'export.txt')
    writeFileSync(file, (await exportLines(node)).map(line => line.endsWith('\n') ? line : `${line}\n`).join(''))
    const script = fileURLToPath(new URL('../../docs/examples/verify_journal.py', import.meta.url))
    try {
      return execFileSync('python3', [script, file], { encoding: 'utf8' })
    } catch (error) {
      return (error as { stdout: string }).stdout
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function journalKinds (node: CausetteNode): Promise<{ changes: string[], statements: string[], report: Awaited<ReturnType<typeof verifyExport>> }> {
  const lines = await exportLines(node)
  const leaves = lines.flatMap(line => {
    const leaf = /^entry \d+ \S+ (\S+)/.exec(line)?.[1]
    return leaf === undefined ? [] : [JSON.parse(Buffer.from(leaf, 'base64').toString('utf8')) as { kind: string, change?: string, seq?: number, statement?: string }]
  })
  return {
    changes: leaves.filter(f => f.kind === 'membership').map(f => `${f.seq}:${f.change}`),
    statements: leaves.filter(f => f.kind === 'message-sent').map(f => Buffer.from(f.statement!, 'base64').toString('utf8')),
    report: await verifyExport(lines, nodeLogPrimitives)
  }
}

test('every membership change is in the journal, in order, and the journal verifies', async (t) => {
  const admin = await testNode(t, { name: 'admin' })
  const workspace = await admin.createWorkspace('Acme')
  const { code } = await admin.createInvite({ role: 'member', expiresMs: 3_600_000 })
  const member = await testNode(t, { name: 'member', join: code, peers: [addressOf(admin)] })
  await waitForPeer(admin, member.peerId)
  // Members' statements name the workspace.
  const sent = await admin.send(member.peerId, 'welcome aboard')
  const received = await eventually(async () => (await member.messages({ limit: 10 })).find(m => m.id === sent.id))
  assert.equal(received.text, 'welcome aboard')
  await admin.removeMember(member.peerId, 'left the company')

  const adminJournal = await eventually(async () => {
    const j = await journalKinds(admin)
    return j.changes.length === 4 ? j : undefined
  })
  assert.deepEqual(adminJournal.changes, ['0:genesis', '1:invite', '2:admit', '3:remove'])
  assert.ok(adminJournal.statements.some(s => s.includes(`\nworkspace: ${workspace.id}\n`)), 'the sent statement names the workspace id')
  assert.equal(adminJournal.report.kinds.membership, 4)

  // The member journaled the log it adopted when it joined.
  const memberJournal = await journalKinds(member)
  assert.deepEqual(memberJournal.changes.slice(0, 3), ['0:genesis', '1:invite', '2:admit'])
  assert.equal(workspace.id.length, 43)
})

test('a prekey rotated by the keystore is announced in the membership log, and journaled', async (t) => {
  const admin = await testNode(t, { name: 'admin' })
  await admin.createWorkspace('Acme')
  const home = admin.home
  await admin.stop()
  // A week later: the keystore rotates the signed prekey when the node starts.
  const { keys } = await loadOrCreateDeviceKeys(home, Date.now() + PREKEY_ROTATION_MS + 1)
  assert.equal(keys.prekey.id, 2)
  const restarted = await testNode(t, { home })
  const journal = await eventually(async () => {
    const j = await journalKinds(restarted)
    return j.changes.includes('1:prekey') ? j : undefined
  })
  assert.deepEqual(journal.changes, ['0:genesis', '1:prekey'])
})

test('a member restarted with its clock 8 days ahead rotates its prekey at the seq of the admin\'s invite: once back, the fork is resolved, journaled, shown to the admin, and the admin\'s removal reaches the member', async (t) => {
  const admin = await testNode(t, { name: 'admin' })
  await admin.createWorkspace('Acme')
  const invite = async (): Promise<string> => (await admin.createInvite({ role: 'member', expiresMs: 3_600_000 })).code
  const p2 = await testNode(t, { name: 'p2', join: await invite(), peers: [addressOf(admin)] })
  const p3 = await testNode(t, { name: 'p3', join: await invite(), peers: [addressOf(admin)] })
  await waitForPeer(admin, p2.peerId)
  await waitForPeer(admin, p3.peerId)
  await eventually(async () => (await p2.workspaceView())!.members.length === 3 || undefined, 20_000, 'p2 knows p3')
  const home = p2.home
  await p2.stop()

  await invite() // the admin's entry at seq 5
  // p2 starts alone with its clock 8 days ahead: the keystore rotates the prekey, p2 announces it at seq 5.
  await loadOrCreateDeviceKeys(home, Date.now() + 8 * 24 * 3600 * 1000)
  const alone = await testNode(t, { home, dialKnownPeers: false })
  await eventually(async () => (await journalKinds(alone)).changes.includes('5:prekey') || undefined, 20_000, 'p2\'s prekey at seq 5')
  await alone.stop()
  await admin.removeMember(p3.peerId, 'left the company')

  // p2 back with a correct clock, among its colleagues.
  const back = await testNode(t, { home, peers: [addressOf(admin)] })
  const view = await eventually(async () => {
    const v = (await back.workspaceView())!
    return v.members.some(m => m.peerId === p3.peerId) ? undefined : v
  }, 20_000, 'p3 gone from p2\'s members')
  assert.deepEqual(view.members.map(m => m.name).sort(), ['admin', 'p2'])
  const shown = await eventually(async () => (await admin.workspaceView())!.forks, 20_000, 'the fork shown to the admin')
  assert.deepEqual(shown.map(f => [f.seq, f.switched]), [[5, false]])
  assert.equal((await back.workspaceView())!.forks, undefined, 'shown to admins only')
  // p2's journal: its prekey at 5, the fork, then the kept branch from 5 on, its prekey signed again.
  const journal = await eventually(async () => {
    const j = await journalKinds(back)
    return j.changes.includes('7:prekey') ? j : undefined
  }, 20_000, 'p2 journals the kept branch and its prekey signed again')
  assert.deepEqual(journal.changes.slice(5), ['5:prekey', '5:fork', '5:invite', '6:remove', '7:prekey'])
  assert.equal(journal.report.kinds.membership, journal.changes.length)
  const adminJournal = await eventually(async () => {
    const j = await journalKinds(admin)
    return j.changes.includes('7:prekey') ? j : undefined
  }, 20_000, 'the admin journals the fork and p2\'s prekey signed again')
  assert.deepEqual(adminJournal.changes.slice(0, 7), ['0:genesis', '1:invite', '2:admit', '3:invite', '4:admit', '5:invite', '6:remove'])
  assert.deepEqual(adminJournal.changes.slice(7).sort(), ['5:fork', '7:prekey'])
  // Both exports verify in the independent verifier too (each fork entry's dropped entry checked).
  assert.match(await pythonVerdict(back), /^OK: /)
  assert.match(await pythonVerdict(admin), /^OK: /)
})

test('two admins invite while apart: each journals the fork, the invite dropped signed again, and both journals verify with our verifier and verify_journal.py', async (t) => {
  const admin = await testNode(t, { name: 'admin' })
  await admin.createWorkspace('Acme')
  const invite = async (node: CausetteNode, role: 'admin' | 'member'): Promise<string> => (await node.createInvite({ role, expiresMs: 3_600_000 })).code
  const bob = await testNode(t, { name: 'bob', join: await invite(admin, 'admin'), peers: [addressOf(admin)] })
  await eventually(async () => (await journalKinds(bob)).changes.includes('2:admit') || undefined, 20_000, 'bob, an admin, holds the log')
  const home = bob.home
  await bob.stop()

  await invite(admin, 'member') // the admin's entry at seq 3
  const alone = await testNode(t, { home, dialKnownPeers: false })
  await invite(alone, 'member') // bob's, at seq 3 too
  await alone.stop()
  const back = await testNode(t, { home, peers: [addressOf(admin)] })
  // Whichever invite the rule keeps (the lower SHA-256), the other is signed again at 4.
  for (const node of [admin, back]) {
    const journal = await eventually(async () => {
      const j = await journalKinds(node)
      return j.changes.includes('3:fork') && j.changes.includes('4:invite') ? j : undefined
    }, 20_000, 'the fork journaled and the dropped invite signed again')
    assert.equal(journal.report.kinds.membership, journal.changes.length)
    assert.match(await pythonVerdict(node), /^OK: /)
  }
})
