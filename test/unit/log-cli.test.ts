// `causette log verify` and `causette log export` (the latter against a stand-in API client).
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createLogCommand, type ApiClientFactory } from '../../core/cli/commands/log.js'
import type { ExportFilter } from '../../core/journal/export.js'
import { startupEntry } from '../../core/journal/entry.js'
import type { Journal } from '../../core/journal/journal.js'
import { bob, exportLines, memoryJournal, populate } from './journal-fixture.js'
import { mountSmallDisk } from '../helpers/small-disk.js'

const dir = mkdtempSync(join(tmpdir(), 'causette-log-cli-'))
const bodies = new Map<string, { salt: Uint8Array, body: Uint8Array }>()
let journal: Journal
const file = (name: string): string => join(dir, name)

/** Serves GET /api/v1/journal/export from the journal, as the daemon does. */
const fakeClient: ApiClientFactory = async () => ({
  fetch: async (path) => {
    const query = new URL(path, 'http://x').searchParams
    if (query.get('with') === 'nobody') return Response.json({ error: { code: 'UNKNOWN_PEER', message: 'no contact named nobody' } }, { status: 404 })
    const filter: ExportFilter = {
      ...(query.has('with') ? { with: query.get('with')! } : {}),
      ...(query.has('since') ? { since: Number(query.get('since')) } : {}),
      redact: query.get('redact') === 'true'
    }
    const lines = await exportLines(journal, filter, bodies)
    return new Response(lines.map(l => l + '\n').join(''))
  }
})

async function run (...argv: string[]): Promise<{ code: number, out: string, err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await createLogCommand(fakeClient).run({ home: dir, json: false, argv, out: l => out.push(l), err: l => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('causette log', () => {
  before(async () => {
    journal = await memoryJournal()
    await journal.append([startupEntry(1)])
    await populate(journal, 6, bodies)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('exports through the daemon, writes the file and verifies it', async () => {
    const r = await run('export', '--out', file('all.txt'))
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /wrote .*all\.txt and verified it/)
    assert.ok(!existsSync(file('all.txt.partial')))
    const subset = await run('export', '--with', bob.peerId, '--since', '1970-01-01T00:00:01.002Z', '--redact', '--out', file('bob.txt'))
    assert.equal(subset.code, 0, subset.err)
    assert.ok(subset.out.includes(`filter with=${bob.peerId} since=1002, redacted`), subset.out)
  })

  it('reports the daemon\'s refusal and a bad date', async () => {
    const r = await run('export', '--with', 'nobody', '--out', file('none.txt'))
    assert.equal(r.code, 1)
    assert.match(r.err, /no contact named nobody/)
    assert.equal((await run('export', '--since', 'yesterday-ish', '--out', file('x.txt'))).code, 2)
    assert.equal((await run('export')).code, 2)
  })

  it('verify: OK with a summary, JSON on request, the key pinned', async () => {
    const r = await run('verify', file('all.txt'))
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /^OK .*all\.txt verifies/)
    assert.match(r.out, /taken from the file/)
    const json = await run('verify', file('all.txt'), '--json', '--key', journal.verifierKey)
    const parsed = JSON.parse(json.out) as { ok: boolean, report: { keyPinned: boolean, size: number } }
    assert.equal(parsed.ok, true)
    assert.equal(parsed.report.keyPinned, true)
  })

  it('verify: a one-byte edit fails, naming the entry, with exit code 1', async () => {
    const text = readFileSync(file('all.txt'), 'utf8')
    const at = text.indexOf('entry 5 ') + 20
    writeFileSync(file('edited.txt'), text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1))
    const r = await run('verify', file('edited.txt'))
    assert.equal(r.code, 1)
    assert.match(r.err, /^FAILED entry 5 \(line \d+\): /)
    const json = JSON.parse((await run('verify', file('edited.txt'), '--json')).out) as { ok: boolean, entry: number }
    assert.deepEqual([json.ok, json.entry], [false, 5])
  })

  it('verify old new: a later export extends an earlier one, not the reverse', async () => {
    await populate(journal, 2, bodies)
    assert.equal((await run('export', '--with', bob.peerId, '--out', file('later.txt'))).code, 0)
    const r = await run('verify', file('all.txt'), file('later.txt'))
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /extends/)
    const damaged = await run('verify', file('edited.txt'), file('later.txt'))
    assert.equal(damaged.code, 1)
    assert.match(damaged.err, /^FAILED entry 5 \(line \d+\): the older file: /)
    const reverse = await run('verify', file('later.txt'), file('all.txt'))
    assert.equal(reverse.code, 1)
    assert.match(reverse.err, /smaller/)
  })

  // Before, it failed with the system's "ENOSPC: no space left on device, write".
  it('export to a full disk says so in words and leaves nothing behind', async (t) => {
    const disk = await mountSmallDisk(t)
    await disk.fill()
    await assert.rejects(run('export', '--out', join(disk.path, 'audit.txt')), (error: Error & { code?: string }) =>
      error.code === 'STORAGE_UNAVAILABLE' && /^the disk is full: .*audit\.txt was not written, and nothing of it is left there; free some space, then export again$/.test(error.message))
    assert.deepEqual(readdirSync(disk.path), ['filler'])
    await disk.free()
    assert.equal((await run('export', '--out', join(disk.path, 'audit.txt'))).code, 0)
  })

  it('usage errors exit 2', async () => {
    assert.equal((await run('verify')).code, 2)
    assert.equal((await run('verify', file('missing.txt'))).code, 2)
    assert.equal((await run('verify', 'a', 'b', 'c')).code, 2)
    assert.equal((await run('frobnicate')).code, 2)
    assert.equal((await run('verify', '--bogus', file('all.txt'))).code, 2)
  })
})
