// The CLI's file options and output, without a daemon: what `send` and `channel send` take from the
// command line, how a message's files print, sizes, media types and the terminal-only progress.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdir, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import type { AttachmentView } from '../../core/api/schema.js'
import { attachmentLines, withAttachmentSummaries } from '../../core/cli/attachment-format.js'
import { parseCommandArgs } from '../../core/cli/command-args.js'
import { MESSAGE_OPTIONS, messageContent } from '../../core/cli/commands/message-content.js'
import { byteSize } from '../../core/api/size-words.js'
import { mediaTypeOf } from '../../core/cli/media-type.js'
import { terminalProgress } from '../../core/cli/progress.js'
import { partPath, removeStaleParts } from '../../core/cli/file-save.js'
import { tempHome } from '../helpers/nodes.js'
import { UsageError } from '../../core/cli/usage.js'

const parse = (args: string[]): ReturnType<typeof messageContent> => {
  const { values, positionals } = parseCommandArgs({ args, options: MESSAGE_OPTIONS, allowPositionals: true, strict: true })
  return messageContent(positionals, values)
}

const ATTACHMENT: AttachmentView = { id: 'a'.repeat(64), name: 'Devis.pdf', size: 1_572_864, type: 'application/pdf', sha256: 'b'.repeat(64), state: 'fetching', received: 786_432, bytesPerSecond: 1000 }

describe('CLI files', () => {
  it('takes a text as words or --text, and any number of --file up to ten', () => {
    assert.deepEqual(parse(['hello', 'there']), { text: 'hello there', files: [], sendId: {} })
    assert.deepEqual(parse(['--file', 'a.pdf', '--file', '-dash.png', '--text', 'see']), { text: 'see', files: ['a.pdf', '-dash.png'], sendId: {} })
    assert.deepEqual(parse(['--file', 'only.zip']), { text: '', files: ['only.zip'], sendId: {} })
    assert.throws(() => parse([]), UsageError)
    assert.throws(() => parse(['words', '--text', 'and text']), /not both/)
    assert.throws(() => parse(['--file', '']), /needs a path/)
    assert.throws(() => parse(Array.from({ length: 11 }, (_, i) => ['--file', `f${i}`]).flat()), /at most 10/)
  })

  it('takes a --send-id of the API\'s form, refused before anything is uploaded otherwise', () => {
    assert.deepEqual(parse(['hi', '--send-id', '-cron-2026-12-07-0930']).sendId, { sendId: '-cron-2026-12-07-0930' })
    assert.throws(() => parse(['hi', '--send-id', 'short']), /--send-id is 16 to 64/)
    assert.throws(() => parse(['hi', '--send-id', 'has a space in it, 16+']), /--send-id is 16 to 64/)
  })

  it('lists each file as {id, name, size, type, sha256, state} in --json and as a line in a table', () => {
    const message = { id: 'm1', text: '', attachments: [ATTACHMENT] }
    assert.deepEqual(withAttachmentSummaries(message), { id: 'm1', text: '', attachments: [{ id: ATTACHMENT.id, name: 'Devis.pdf', size: 1_572_864, type: 'application/pdf', sha256: ATTACHMENT.sha256, state: 'fetching' }] })
    const plain: { id: string, text: string, attachments?: AttachmentView[] } = { id: 'm2', text: 'no files' }
    assert.deepEqual(withAttachmentSummaries(plain), { id: 'm2', text: 'no files' })
    assert.deepEqual(attachmentLines(message), [`  file  Devis.pdf  1.5 MiB  application/pdf  fetching 50%  ${ATTACHMENT.id}`])
    const paused = { id: 'm3', attachments: [{ ...ATTACHMENT, state: 'paused' as const, error: 'FILE_STORE_FULL' }] }
    assert.match(attachmentLines(paused)[0] ?? '', /paused \(FILE_STORE_FULL\)/)
  })

  it('writes sizes as people read them, and types from extensions', () => {
    assert.deepEqual([0, 1, 512, 1024, 1536, 10 * 1024 ** 2 + 1, 5 * 1024 ** 3].map(bytes => byteSize(bytes)), ['0 bytes', '1 byte', '512 bytes', '1 KiB', '1.5 KiB', '10 MiB', '5 GiB'], 'as the app gives them (app-file-words.test.ts)')
    assert.equal(mediaTypeOf('/tmp/Photo.JPG'), 'image/jpeg')
    assert.equal(mediaTypeOf('report.docx'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    assert.equal(mediaTypeOf('no-extension'), 'application/octet-stream')
  })

  it('shows progress on stderr only when it is a terminal', () => {
    const piped = new PassThrough() as unknown as NodeJS.WriteStream
    const written: string[] = []
    piped.write = ((chunk: string) => { written.push(chunk); return true }) as NodeJS.WriteStream['write']
    const quiet = terminalProgress('a.bin', 100, piped)
    quiet.update(100)
    quiet.finish()
    assert.deepEqual(written, [])
    Object.assign(piped, { isTTY: true })
    const shown = terminalProgress('a.bin', 100, piped)
    shown.update(100)
    shown.finish()
    assert.match(written.join(''), /a\.bin {2}100% {2}100 bytes of 100 bytes/)
  })
})

describe('file save: a .part file a killed save left behind', () => {
  it('goes at the next save to the same place; one of a save still running, or of another target, stays', async (t) => {
    const dir = await tempHome(t, 'causette-save-')
    const target = join(dir, 'report.pdf')
    const gone = spawnSync(process.execPath, ['-e', '']).pid // a process that has ended
    const stale = partPath(target, gone)
    const running = partPath(target, process.pid)
    const other = partPath(join(dir, 'other.pdf'), gone)
    for (const path of [stale, running, other]) await writeFile(path, 'half')
    await removeStaleParts(target)
    assert.deepEqual((await readdir(dir)).sort(), [basename(other), basename(running)].sort())
  })
})
