// The app's pure parts of files and images: a transfer in words (sizes as the CLI gives them, each
// held to its unit by a no-break space; speed, time left, a stall told once nothing moved for a few
// seconds, on a clock the test sets), the speed of an upload from its progress, and an `attachment`
// event applied to the messages held
// (the attachment itself, or the preview a message shows first; other messages left as they are);
// a received picture drawn only for JPEG, PNG, WebP and GIF, loaded once, the oldest let go.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AttachmentView } from '../../core/api/schema.js'
import { RateMeter } from '../../ui/src/files/rate-meter.js'
import { MAX_PICTURES, ReceivedFiles } from '../../ui/src/files/received-files.js'
import { STALL_MS, StallWatch } from '../../ui/src/files/stall-watch.js'
import { byteSize, progressLine, timeLeft } from '../../ui/src/files/transfer-words.js'
import { byteSize as cliByteSize } from '../../core/api/size-words.js'
import { withAttachment } from '../../ui/src/state/attachments.js'
import { filesSent, messageLine, stateText } from '../../ui/src/files/attachment-words.js'
import { typeText } from '../../ui/src/files/type-words.js'
import { ApiRequestError } from '../../ui/src/api/request-error.js'
import { sendRefusal } from '../../ui/src/lib/storage-words.js'

/** The text with its no-break spaces as plain ones, to read the words. */
const plain = (text: string | undefined): string | undefined => text?.replaceAll('\u00a0', ' ')

test('a transfer in words', () => {
  assert.equal(byteSize(1), '1\u00a0byte', 'a number and its unit are never split over two lines')
  assert.equal(plain(byteSize(999)), '999 bytes')
  assert.equal(plain(byteSize(3 * 1024 * 1024)), '3 MiB')
  assert.equal(plain(byteSize(1_500_000)), '1.4 MiB')
  assert.equal(plain(byteSize(5 * 1024 ** 3)), '5 GiB', 'the default file limit reads as it was set, not "5.4 GB"')
  assert.equal(plain(byteSize(12_500_000_000)), '12 GiB')
  assert.equal(plain(timeLeft(1000, undefined)), undefined, 'no speed yet: no promise')
  assert.equal(plain(timeLeft(0, 1000)), 'about 1 s left')
  assert.equal(plain(timeLeft(90_000, 1000)), 'about 2 min left')
  assert.equal(plain(timeLeft(7_200_000, 1000)), 'about 2 h left')
  assert.equal(plain(progressLine(1024 ** 2, 4 * 1024 ** 2, 1024 ** 2)), '1 MiB of 4 MiB · 1 MiB/s · about 3 s left')
  assert.equal(plain(progressLine(0, 4 * 1024 ** 2, undefined)), '0 bytes of 4 MiB')
  assert.equal(filesSent([{ name: 'Devis.pdf' }]), 'Sent Devis.pdf', 'a notification of files alone names them')
  assert.equal(filesSent([{ name: 'a' }, { name: 'b' }]), 'Sent 2 files')
  assert.equal(messageLine({ text: '', attachments: [attachment('f1', 'held')] }), 'Sent f1.png', 'a message of files alone, in one line')
  assert.equal(messageLine({ text: 'Hi @[Bruno](12D3KooW)', attachments: [attachment('f1', 'held')] }), 'Hi @Bruno', 'the text when there is one')
})

test('the app and the CLI give a size in the same words: binary units, named as such', () => {
  for (const bytes of [0, 1, 1023, 1024, 1536, 10_239, 1_048_000, 1_048_100, 1_048_576, 700_011, 5 * 1024 ** 3, 2 * 10 ** 9, 3 * 1024 ** 4]) {
    assert.equal(plain(byteSize(bytes)), cliByteSize(bytes), `${bytes} bytes`)
    assert.doesNotMatch(byteSize(bytes), / /, 'only a no-break space in the app')
  }
  assert.deepEqual([1023, 10_239, 1_048_000, 1_048_100, 700_011, 2 * 10 ** 9].map(bytes => cliByteSize(bytes)), ['1023 bytes', '10 KiB', '1023 KiB', '1 MiB', '684 KiB', '1.9 GiB'], 'never "1024 KiB" nor "10.0 KiB"')
})

test('a transfer that stops moving says it is stalled after a few seconds, not its last speed, and shows a speed again once bytes move', () => {
  const clock = { now: 50_000 }
  const watch = new StallWatch(() => clock.now)
  const total = 4 * 1024 ** 2
  const line = (done: number, bytesPerSecond: number): string | undefined => plain(progressLine(done, total, bytesPerSecond, watch.stalledFor(done)))
  assert.equal(line(1024 ** 2, 1024 ** 2), '1 MiB of 4 MiB · 1 MiB/s · about 3 s left')
  clock.now += STALL_MS - 1
  assert.equal(line(1024 ** 2, 1024 ** 2), '1 MiB of 4 MiB · 1 MiB/s · about 3 s left', 'a pause between two chunks is no stall')
  clock.now += 1
  assert.equal(line(1024 ** 2, 1024 ** 2), '1 MiB of 4 MiB · stalled for 5 s', 'the speed the node last told is stale: neither it nor the time left is shown')
  clock.now += 115_000
  assert.equal(line(1024 ** 2, 1024 ** 2), '1 MiB of 4 MiB · stalled for 2 min')
  clock.now += 250
  assert.equal(line(2 * 1024 ** 2, 512 * 1024), '2 MiB of 4 MiB · 512 KiB/s · about 4 s left', 'bytes moved: a speed again, at once')
  clock.now += STALL_MS
  assert.equal(line(2 * 1024 ** 2, 512 * 1024), '2 MiB of 4 MiB · stalled for 5 s', 'and stalled again')
})

test('a file card says its type in words, never the raw media type', () => {
  assert.equal(typeText('application/pdf'), 'PDF document')
  assert.equal(typeText('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'), 'Excel spreadsheet')
  assert.equal(typeText('Text/Plain; charset=utf-8'), 'text file', 'parameters and case do not matter')
  assert.equal(typeText('video/x-matroska'), 'video', 'a type not in the table by its family')
  assert.equal(typeText('application/octet-stream'), 'file')
  assert.equal(typeText('application/x-made-up'), 'file')
})

test('a received file that waits says why: its turn behind other files, or nobody who holds it connected', () => {
  // Three files sent at once: the third waits for the first two while their author is right there.
  assert.equal(stateText({ state: 'waiting' }), 'Queued: it comes once the files before it are here.')
  assert.equal(stateText({ state: 'waiting', error: 'TRANSFER_NO_HOLDER' }), 'Waiting: nobody who holds it is connected. It comes when one of them is.')
  assert.equal(stateText({ state: 'fetching' }), undefined, 'the bar says it')
  assert.match(stateText({ state: 'paused', error: 'FILE_STORE_FULL' })!, /the disk, or the space for files set in Settings, is full/, 'a full disk and the limit give one code: both are named')
  assert.match(stateText({ state: 'paused', error: 'STORAGE_UNAVAILABLE' })!, /could not write it on this computer\. It tries again by itself/)
  assert.equal(stateText({ state: 'cancelled' }), 'Cancelled. Retry to fetch the rest.')
  assert.match(stateText({ state: 'cancelled', error: 'FILE_TOO_MANY_WAITING' })!, /^Set aside: this colleague sent many files that are not here yet\. Retry/, 'the node set it aside, not the user')
  assert.match(stateText({ state: 'cancelled', error: 'FILE_HASH_MISMATCH' })!, /^Refused: this file is not the one its message describes.*Ask the sender/, 'the sender\'s doing: a retry would not help')
  assert.match(stateText({ state: 'cancelled', error: 'FILE_ID_TAKEN' })!, /^Refused: another message of this sender named this file first.*Ask the sender/, 'the sender\'s own doing (a copier has a file of its own, session 30): a retry would not help')
})

test('an upload refused for room says which room and what to do, not the node\'s words for a fetch', () => {
  // The node's messages (core/files/atomic-write.ts, attachment-store.ts) speak of a file paused: an upload is not.
  const disk = new ApiRequestError(507, 'FILE_STORE_FULL', 'the disk is full: the file is paused until space is freed; nothing stored was lost')
  const limit = new ApiRequestError(507, 'FILE_STORE_FULL', 'the profile\'s file limit (1000 bytes) is reached: the file is paused until space is freed; nothing stored was lost')
  assert.equal(sendRefusal(disk), 'your disk is full. Free some space on this computer, then retry.')
  assert.equal(sendRefusal(limit), 'it does not fit in the space for files set in Settings. Raise that limit, then retry.')
})

test('the speed of an upload is what was done over the last seconds', () => {
  const meter = new RateMeter()
  assert.equal(meter.sample(0, 0), undefined, 'one sample spans no time')
  assert.equal(meter.sample(1000, 1000), 1000)
  for (let second = 2; second <= 10; second++) meter.sample(second * 1000, second * 1000)
  assert.equal(meter.sample(10_000, 11_000), 2000 / 3, 'a stall shows within the window (3 s), not averaged over the whole upload')
})

const attachment = (id: string, state: AttachmentView['state'], preview?: string): AttachmentView => ({
  id, name: `${id}.png`, size: 100, type: 'image/png', sha256: 'a'.repeat(64), state, received: state === 'held' ? 100 : 0,
  ...(preview === undefined ? {} : { preview: { id: preview, type: 'image/webp' as const, state: 'waiting' as const } })
})

test('an attachment event changes the messages that carry it, and only those', () => {
  const carrying = { id: 'm1', attachments: [attachment('f1', 'fetching', 'p1'), attachment('f2', 'waiting')] }
  const other = { id: 'm2', attachments: [attachment('f3', 'held')] }
  const plain: { id: string, attachments?: AttachmentView[] } = { id: 'm3' }
  assert.equal(withAttachment(other, attachment('f1', 'held')), other, 'not carried: the same object')
  assert.equal(withAttachment(plain, attachment('f1', 'held')), plain)

  const held = withAttachment(carrying, { ...attachment('f1', 'held'), bytesPerSecond: 5 })
  assert.equal(held.attachments[0]!.state, 'held')
  assert.equal(held.attachments[0]!.preview?.id, 'p1', 'an event without the preview keeps the one known')
  assert.equal(held.attachments[1], carrying.attachments[1], 'the other attachment untouched')

  const previewHeld = withAttachment(carrying, attachment('p1', 'held'))
  assert.equal(previewHeld.attachments[0]!.preview?.state, 'held', 'the preview\'s own event marks it held')
  assert.equal(previewHeld.attachments[0]!.state, 'fetching', 'the file itself is still coming')
})

test('an attachment set aside as another message\'s (FILE_ID_TAKEN) takes no event of its id: each would show the other\'s name', () => {
  const setAside = { ...attachment('f1', 'cancelled'), name: 'holiday.jpg', error: 'FILE_ID_TAKEN' }
  const carrying = { id: 'm1', attachments: [setAside] }
  const copiers = { ...attachment('f1', 'fetching', 'p9'), name: 'fired.jpg' }
  assert.deepEqual(withAttachment(carrying, copiers).attachments[0], setAside)
})

test('a received picture is drawn only for the four inline types, loaded once, and the oldest let go', async () => {
  const asked: string[] = []
  const served = new Map<string, string>([['svg-as-png', 'image/svg+xml']])
  const api = {
    inlineImage: async (id: string) => { asked.push(id); return new Blob(['x'], { type: served.get(id) ?? 'image/png' }) },
    cancelAttachment: async () => { throw new Error('not used') },
    retryAttachment: async () => { throw new Error('not used') },
    downloadTicket: async () => { throw new Error('not used') }
  }
  const files = new ReceivedFiles(api, () => {})
  await assert.rejects(files.picture('drawing', 'image/svg+xml'), /not shown inline/)
  await assert.rejects(files.picture('page', 'text/html'), /not shown inline/)
  assert.deepEqual(asked, [], 'an SVG or HTML file is never even asked for inline')
  await assert.rejects(files.picture('svg-as-png', 'image/png'), /sent image\/svg\+xml/, 'whatever the node answers, only the four types are drawn')

  const first = await files.picture('p0', 'image/png')
  assert.match(first, /^blob:/)
  assert.equal(await files.picture('p0', 'image/png'), first, 'loaded once')
  for (let i = 1; i <= MAX_PICTURES; i++) await files.picture(`p${i}`, 'image/png')
  assert.notEqual(await files.picture('p0', 'image/png'), first, 'the oldest was let go, and is loaded again when shown again')
  assert.equal(asked.filter(id => id === 'p0').length, 2)
})
