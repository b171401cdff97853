// The node's own desktop notifications: the exact command lines for Linux, macOS and Windows, and
// that a colleague's text (quotes, $(...), backticks, markup, control characters) stays data: argv
// or environment, never shell, script or XML source.
import assert from 'node:assert/strict'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { test } from 'node:test'
import { APPLESCRIPT_LINES, BODY_VARIABLE, MAX_NOTE_CHARS, notificationCommand, POWERSHELL_TOAST_SCRIPT, TITLE_VARIABLE } from '../../core/desk/desktop-notification.js'
import { systemDesktopNotifier } from '../../core/desk/desktop-notifier.js'

const hostile = {
  title: 'Bruno "; rm -rf ~; echo \' `id` $(id)',
  body: '<b>bold</b> & <a href="x">link</a>\' end run -- --urgency=low ‘quote’ $env:PATH',
  urgent: false
}

test('Linux: notify-send with the text as its last two arguments, after --, markup escaped', () => {
  const command = notificationCommand('linux', hostile)
  assert.deepEqual(command, {
    file: 'notify-send',
    args: ['--app-name=causette', '--urgency=normal', '--', hostile.title,
      '&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href="x"&gt;link&lt;/a&gt;\' end run -- --urgency=low ‘quote’ $env:PATH'],
    env: {}
  })
  assert.deepEqual(notificationCommand('linux', { ...hostile, urgent: true })?.args.slice(0, 2), ['--app-name=causette', '--urgency=critical'])
})

test('macOS: a fixed AppleScript run handler; the text is its argv, never part of the script', () => {
  const command = notificationCommand('darwin', hostile)
  assert.deepEqual(command, {
    file: 'osascript',
    args: ['-e', 'on run argv', '-e', 'display notification (item 2 of argv) with title (item 1 of argv)', '-e', 'end run', hostile.title, hostile.body],
    env: {}
  })
  assert.deepEqual(APPLESCRIPT_LINES, ['on run argv', 'display notification (item 2 of argv) with title (item 1 of argv)', 'end run'])
})

test('Windows: a fixed PowerShell script as -EncodedCommand; the text only in the environment', () => {
  const command = notificationCommand('win32', hostile)!
  assert.equal(command.file, 'powershell.exe')
  assert.deepEqual(command.args.slice(0, 5), ['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden', '-EncodedCommand'])
  assert.equal(command.args.length, 6)
  assert.equal(Buffer.from(command.args[5]!, 'base64').toString('utf16le'), POWERSHELL_TOAST_SCRIPT)
  assert.deepEqual(command.env, { [TITLE_VARIABLE]: hostile.title, [BODY_VARIABLE]: hostile.body })
  // The script reads the variables as text nodes: no XML is built from the text.
  assert.match(POWERSHELL_TOAST_SCRIPT, new RegExp(`CreateTextNode\\(\\$env:${TITLE_VARIABLE}\\)`))
  assert.match(POWERSHELL_TOAST_SCRIPT, new RegExp(`CreateTextNode\\(\\$env:${BODY_VARIABLE}\\)`))
  assert.doesNotMatch(POWERSHELL_TOAST_SCRIPT, /LoadXml/)
})

test('control characters become spaces, a long text is cut, other systems have no command', () => {
  const command = notificationCommand('darwin', { title: 'a\u001b[31mred\r\nline', body: 'x'.repeat(MAX_NOTE_CHARS + 50), urgent: false })!
  assert.equal(command.args.at(-2), 'a [31mred line')
  assert.equal(command.args.at(-1), `${'x'.repeat(MAX_NOTE_CHARS - 1)}…`)
  assert.equal(notificationCommand('freebsd', hostile), undefined)
})

test('the system notifier runs notify-send without a shell: $(...) in the text runs nothing', async (t) => {
  const bin = await mkdtemp(join(tmpdir(), 'causette-notify-'))
  t.after(async () => { await rm(bin, { recursive: true, force: true }) })
  const seen = join(bin, 'argv.json')
  const pwned = join(bin, 'pwned')
  await writeFile(join(bin, 'notify-send'), `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.argv.slice(2)))\n`)
  await chmod(join(bin, 'notify-send'), 0o755)
  const path = process.env.PATH
  process.env.PATH = `${bin}${delimiter}${path ?? ''}`
  t.after(() => { process.env.PATH = path })
  const note = { title: `$(touch ${pwned})`, body: `\`touch ${pwned}\`; touch ${pwned}`, urgent: false }
  await systemDesktopNotifier(() => {}, 'linux')(note)
  assert.deepEqual(JSON.parse(await readFile(seen, 'utf8')), ['--app-name=causette', '--urgency=normal', '--', note.title, note.body])
  await assert.rejects(readFile(pwned), { code: 'ENOENT' })
})

test('a failing notifier is logged once and never throws', async () => {
  const logged: string[] = []
  const notify = systemDesktopNotifier(format => { logged.push(format) }, 'linux', async () => { throw new Error('notify-send: not found') })
  await notify(hostile)
  await notify(hostile)
  assert.equal(logged.length, 1)
})

test('a burst of notes is one notice after the one showing, not a process per message; urgent ones stay whole', async () => {
  const shown: Array<{ title: string, body: string }> = []
  let release: () => void = () => {}
  const firstShows = new Promise<void>(resolve => { release = resolve })
  const notify = systemDesktopNotifier(() => {}, 'linux', async ({ args }) => {
    shown.push({ title: args.at(-2)!, body: args.at(-1)! })
    if (shown.length === 1) await firstShows // the first notice is still on its way while the burst arrives
  })
  const burst = [notify({ title: 'Bruno Petit', body: 'one', urgent: false })]
  for (let i = 0; i < 99; i++) burst.push(notify({ title: i % 2 === 0 ? 'Bruno Petit' : 'Alice in #launch', body: `message ${i}`, urgent: false }))
  burst.push(notify({ title: 'Urgent: Alice', body: 'the client is on the phone\ncan you take it?', urgent: true }))
  release()
  await Promise.all(burst)
  assert.deepEqual(shown, [
    { title: 'Bruno Petit', body: 'one' },
    { title: 'Urgent: Alice', body: 'the client is on the phone can you take it?' },
    { title: '99 new notifications', body: 'From Bruno Petit, Alice in #launch' }
  ])
})

test('a notifier that is not installed is not run again', async () => {
  let runs = 0
  const notify = systemDesktopNotifier(() => {}, 'linux', async () => { runs++; throw Object.assign(new Error('spawn notify-send ENOENT'), { code: 'ENOENT' }) })
  for (let i = 0; i < 5; i++) await notify(hostile)
  assert.equal(runs, 1)
})
