// Damaged profile files, met as a user meets them: `causette start` names the damaged file and what
// to do, a damaged LevelDB log is reported (daemon log, status) instead of silently truncated, and
// `causette doctor` checks a stopped node's profile and repairs a database that does not open.
import assert from 'node:assert/strict'
import { access, open, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import type { NodeStatus } from '../../core/api/schema.js'
import type { DoctorReport } from '../../core/node/doctor.js'
import { causette, causetteJson, startDaemon, stopDaemon } from '../helpers/cli-process.js'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'

const START = ['--port', '0', '--api-port', '0', '--listen', '127.0.0.1', '--no-mdns']

/** A stopped receiver's profile holding `count` messages from a sender; resolves to its home and the ids. */
async function profileWithMessages (t: TestContext, count: number): Promise<{ home: string, ids: string[] }> {
  const home = await tempHome(t)
  const receiver = await testNode(t, { home, name: 'receiver' })
  const sender = await testNode(t, { name: 'sender', peers: [addressOf(receiver)] })
  await waitForPeer(sender, receiver.peerId)
  // The receiver names the sender in its poll below: it must have the sender's record too.
  await waitForPeer(receiver, sender.peerId)
  const ids: string[] = []
  for (let i = 0; i < count; i++) ids.push((await sender.send(receiver.peerId, `message ${i} ${'x'.repeat(200)}`)).id)
  await eventually(async () => (await receiver.messages({ with: sender.peerId, limit: 1000 })).length === count ? true : undefined, 30_000, 'every message stored')
  await receiver.stop()
  return { home, ids }
}

async function doctor (home: string, ...args: string[]): Promise<{ code: number, report: DoctorReport & { damagedCopy?: string } }> {
  const result = await causette('doctor', '--home', home, '--json', ...args)
  return { code: result.code, report: JSON.parse(result.stdout) as DoctorReport & { damagedCopy?: string } }
}

const finding = (report: DoctorReport, check: string) => report.findings.find(f => f.check === check)!

/** LevelDB's newest write-ahead log in the profile's database. */
async function newestLog (home: string): Promise<string> {
  const logs = (await readdir(join(home, 'db'))).filter(name => name.endsWith('.log')).sort()
  return join(home, 'db', logs.at(-1)!)
}

async function overwrite (path: string, offset: number, bytes: Buffer): Promise<void> {
  const handle = await open(path, 'r+')
  try {
    await handle.write(bytes, 0, bytes.length, offset)
  } finally {
    await handle.close()
  }
}

describe('damaged profile files', () => {
  it('a damaged settings.json: start names the file and what to do, and doctor says the same', async (t) => {
    const home = await tempHome(t)
    await writeFile(join(home, 'settings.json'), '{"name" "x"}')
    const started = await causette('start', '--home', home, ...START)
    assert.equal(started.code, 1)
    assert.ok(started.stderr.includes(join(home, 'settings.json')), started.stderr)
    assert.match(started.stderr, /damaged .*delete it to start with the default settings/)

    const { code, report } = await doctor(home)
    assert.equal(code, 1)
    assert.equal(finding(report, 'settings').status, 'problem')
    assert.match(finding(report, 'settings').fix!, /settings\.json/)
  })

  it('a healthy profile: doctor refuses while the node runs, then finds nothing wrong', async (t) => {
    const daemon = await startDaemon(t, 'healthy')
    const running = await causette('doctor', '--home', daemon.home)
    assert.equal(running.code, 1)
    assert.match(running.stderr, /node is running on this profile: stop it first/)
    assert.equal(await stopDaemon(daemon), 0)

    const human = await causette('doctor', '--home', daemon.home)
    assert.equal(human.code, 0, human.stdout + human.stderr)
    for (const check of ['master key', 'keystore', 'settings', 'database', 'journal']) assert.match(human.stdout, new RegExp(`^ok\\s+${check}`, 'm'))
  })

  it('a damaged CURRENT: start names it and the repair; doctor --repair keeps a copy and the messages come back', async (t) => {
    const { home, ids } = await profileWithMessages(t, 5)
    await writeFile(join(home, 'db', 'CURRENT'), 'MANIFEST-00\u0000\u0000')
    const started = await causette('start', '--home', home, ...START)
    assert.equal(started.code, 1)
    assert.ok(started.stderr.includes(join(home, 'db', 'CURRENT')), started.stderr)
    assert.match(started.stderr, /causette doctor --repair/)

    const before = await doctor(home)
    assert.equal(before.code, 1)
    assert.equal(finding(before.report, 'database').status, 'problem')
    assert.equal(before.report.repairable, true)

    const repaired = await doctor(home, '--repair')
    assert.equal(repaired.code, 0, JSON.stringify(repaired.report))
    assert.ok((await stat(repaired.report.damagedCopy!)).isDirectory(), 'the damaged database is kept')
    await access(join(repaired.report.damagedCopy!, 'CURRENT'))

    const node = await testNode(t, { home })
    const stored = (await node.messages({ conversation: (await node.conversations())[0]!.id, limit: 100 })).map(m => m.id)
    assert.deepEqual(new Set(stored), new Set(ids))
  })

  it('a missing CURRENT: the node refuses to start rather than create an empty database over the old one', async (t) => {
    const { home, ids } = await profileWithMessages(t, 3)
    await rm(join(home, 'db', 'CURRENT'))
    const started = await causette('start', '--home', home, ...START)
    assert.equal(started.code, 1)
    assert.match(started.stderr, /CURRENT is missing.*causette doctor --repair/)
    assert.equal((await doctor(home, '--repair')).code, 0)
    const node = await testNode(t, { home })
    assert.equal((await node.messages({ conversation: (await node.conversations())[0]!.id, limit: 100 })).length, ids.length)
  })

  it('a damaged write-ahead log: the node reports what LevelDB dropped (daemon log, status), and doctor too', async (t) => {
    const { home } = await profileWithMessages(t, 20)
    // Garble a stretch of the first block: its records fail their checksums.
    await overwrite(await newestLog(home), 200, Buffer.alloc(64, 0x5a))
    const daemon = await startDaemon(t, 'receiver', { home })
    await eventually(() => /LevelDB found a damaged file .*dropping \d+ bytes/.test(daemon.log()) ? true : undefined, 30_000, 'the damage in the daemon log')
    const status = await causetteJson<NodeStatus>('status', '--home', home)
    assert.ok(status.storage.damage.some(line => /dropping \d+ bytes/.test(line)), JSON.stringify(status.storage))
    const human = await causette('status', '--home', home)
    assert.match(human.stdout, /^warning\s+.*dropping \d+ bytes.*causette doctor/m)
    assert.equal(await stopDaemon(daemon), 0)

    const { code, report } = await doctor(home)
    assert.equal(code, 1)
    assert.match(finding(report, 'database').detail, /dropping \d+ bytes/)
    // The dropped block held the first entries; later ones survived: the journal has a hole, and says so.
    assert.equal(finding(report, 'journal').status, 'problem')
    assert.match(finding(report, 'journal').detail, /entry \d+ is missing/)
  })
})
