// Crash safety: a writer killed with SIGKILL while messages flow leaves a journal that reopens,
// verifies, and holds every message it acknowledged, with its record written in the same batch.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Level } from 'level'
import { fromUtf8 } from '../../crypto/encoding.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { Journal, journalOrigin } from '../../core/journal/journal.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { alice } from './journal-fixture.js'

const WRITER = fileURLToPath(new URL('./journal-crash-writer.ts', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'causette-crash-'))

interface Ack { n: number, index: number, id: string }

/** Starts the writer, waits for `count` acknowledgements, kills it with SIGKILL mid-flow. */
async function runAndKill (first: number, count: number): Promise<Ack[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(first)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const acks: Ack[] = []
  for await (const line of createInterface({ input: child.stdout })) {
    const [, n, index, id] = line.split(' ')
    acks.push({ n: Number(n), index: Number(index), id: id! })
    if (acks.length === count) child.kill('SIGKILL')
  }
  await new Promise(resolve => child.once('exit', resolve).exitCode !== null && resolve(undefined))
  assert.equal(child.signalCode, 'SIGKILL')
  return acks
}

async function check (acks: Ack[]): Promise<void> {
  const root = new Level<string, string>(dir)
  await root.open()
  try {
    const messages = root.sublevel<string, string>('messages', { valueEncoding: 'utf8' })
    const journal = await Journal.open({ db: root.sublevel('journal'), sign: alice.sign, publicKey: alice.keys.publicKey, origin: journalOrigin(alice.peerId) })
    assert.ok(journal.size >= acks.length, `${journal.size} entries for ${acks.length} acknowledged`)
    assert.ok(await journal.matchesLastCheckpoint())
    const leaves = new Map<number, string>()
    for await (const [index, leaf] of journal.leaves(0, journal.size)) leaves.set(index, fromUtf8(leaf))
    for (const ack of acks) {
      assert.equal(await messages.get(ack.id), String(ack.n), `message ${ack.n} record`)
      assert.match(leaves.get(ack.index) ?? '', new RegExp(`"id":"${ack.id}"`), `message ${ack.n} at entry ${ack.index}`)
    }
    const lines: string[] = []
    for await (const line of journal.export({}, async () => undefined)) lines.push(line)
    const report = await verifyExport(lines, nodeLogPrimitives, { trustedKey: journal.verifierKey })
    assert.equal(report.size, journal.size)
  } finally {
    await root.close()
  }
}

describe('journal crash safety', () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('a SIGKILLed writer leaves every acknowledged message in a journal that verifies, twice over', async () => {
    const first = await runAndKill(0, 400)
    await check(first)
    const second = await runAndKill(100_000, 400)
    await check([...first, ...second])
  })
})
