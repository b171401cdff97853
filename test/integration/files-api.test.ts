// Files through the local API and the CLI, between real nodes over TCP on loopback, each with its
// API server on a real socket: a file uploaded raw, sent, fetched by the recipient, downloaded with
// the headers that keep a browser from rendering it, saved by the CLI byte for byte; and the bad
// input (a name with separators, an empty body, a wrong id, a link used twice, inline SVG or HTML).
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { promisify } from 'node:util'
import { createHash, randomBytes } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { AttachmentView, ChannelMessageView, DownloadTicket, FilesUsage, MessageView, StagedFileView } from '../../core/api/schema.js'
import { startApiServer, type ApiServer } from '../../core/api/server.js'
import { runCli } from '../../core/cli/run.js'
import type { CausetteNode } from '../../core/node/node.js'
import { cliArgs } from '../helpers/built-cli.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { causette } from '../helpers/cli-process.js'
import { eventually, tempHome } from '../helpers/nodes.js'
import { mountSmallDisk } from '../helpers/small-disk.js'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

interface Desk { node: CausetteNode, home: string, server: ApiServer }

/** Alice and Bruno in one workspace, each node with its API server (api.json in its profile, for the CLI). */
async function twoDesks (t: TestContext): Promise<[Desk, Desk]> {
  const { nodes, homes } = await workspaceOf(t, ['Alice', 'Bruno'])
  const desks = await Promise.all(nodes.map(async (node, i) => {
    const server = await startApiServer({ node, home: homes[i]!, port: 0, log: () => {} })
    t.after(async () => { await server.close() })
    return { node, home: homes[i]!, server }
  }))
  return desks as [Desk, Desk]
}

async function api (desk: Desk, method: string, path: string, init: { body?: BodyInit, type?: string, token?: boolean } = {}): Promise<Response> {
  return await fetch(`${desk.server.url}/api/v1${path}`, {
    method,
    body: init.body,
    headers: {
      ...(init.token === false ? {} : { authorization: `Bearer ${desk.server.token}` }),
      ...(init.body !== undefined ? { 'content-type': init.type ?? 'application/json' } : {})
    }
  })
}

async function upload (desk: Desk, name: string, type: string, bytes: Buffer, extra: Record<string, string> = {}): Promise<StagedFileView> {
  const response = await api(desk, 'POST', `/files?${new URLSearchParams({ name, type, ...extra }).toString()}`, { body: Uint8Array.from(bytes), type: 'application/octet-stream' })
  assert.equal(response.status, 201, await response.clone().text())
  return await response.json() as StagedFileView
}

async function heldAt (desk: Desk, id: string): Promise<AttachmentView> {
  return await eventually(async () => {
    const response = await api(desk, 'GET', `/attachments/${id}`)
    const view = response.ok ? await response.json() as AttachmentView : undefined
    return view?.state === 'held' ? view : undefined
  }, 60_000, `attachment ${id.slice(0, 8)} held`)
}

async function errorCode (response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code
}

/** The CLI, in this process, against a desk's running API (api.json in its profile). */
async function cli (desk: Desk, ...args: string[]): Promise<{ code: number, out: string, err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli([...args, '--home', desk.home], { out: line => out.push(line), err: line => err.push(line), env: {} })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** The CLI as its own process on a pseudo-terminal: what the terminal showed. */
async function inTerminal (args: string[]): Promise<string> {
  const quote = (arg: string): string => `'${arg.replaceAll("'", "'\\''")}'`
  const command = [process.execPath, ...cliArgs(), ...args].map(quote).join(' ')
  const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'])
  return stdout
}

test('API: a file uploaded raw, sent, fetched and downloaded the same, with headers that never let it render', async (t) => {
  const [alice, bruno] = await twoDesks(t)
  const report = randomBytes(1024 * 1024 + 333)
  const image = Buffer.concat([Buffer.from(PNG_SIGNATURE), randomBytes(40_000)])
  const page = Buffer.from('<html><body><script>document.title = "pwned"</script></body></html>')
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')

  const staged = await upload(alice, '../../Devis\u0007\u202Egpj.pdf', 'application/pdf', report)
  assert.doesNotMatch(staged.name, /[/\\\u0007\u202E]/, 'the node made the name safe')
  assert.equal(staged.sha256, sha256(report))
  assert.equal(staged.size, report.length)
  const others = [await upload(alice, 'photo.png', 'image/png', image), await upload(alice, 'page.html', 'text/html', page), await upload(alice, 'logo.svg', 'image/svg+xml', svg)]

  // The app loads the sender's own image as soon as the message's event shows it held.
  const ownImage = new Promise<Response>(resolve => {
    const stop = alice.node.events.subscribe(undefined, ({ event }) => {
      if (event.type !== 'message' || event.message.attachments === undefined) return
      stop()
      resolve(api(alice, 'GET', `/attachments/${others[0]!.id}/content?inline=true`))
    })
  })
  const sentResponse = await api(alice, 'POST', '/messages', { body: JSON.stringify({ to: 'Bruno', attachments: [staged, ...others].map(s => ({ file: s.id })) }) })
  assert.equal(sentResponse.status, 201)
  const sent = await sentResponse.json() as MessageView
  const shownAtOnce = await ownImage
  assert.equal(shownAtOnce.status, 200, 'the image the event shows held is served at once')
  assert.ok(Buffer.from(await shownAtOnce.arrayBuffer()).equals(image))
  assert.equal(sent.text, '')
  assert.deepEqual(sent.attachments?.map(a => a.state), ['held', 'held', 'held', 'held'], 'the author holds every chunk')

  const held = await heldAt(bruno, staged.id)
  assert.equal(held.sha256, sha256(report))
  const download = await api(bruno, 'GET', `/attachments/${staged.id}/content`)
  assert.equal(download.status, 200)
  assert.equal(download.headers.get('content-type'), 'application/octet-stream')
  assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="[^"/\\]+"; filename\*=UTF-8''[^/]+gpj\.pdf$/)
  assert.equal(download.headers.get('x-content-type-options'), 'nosniff')
  assert.equal(download.headers.get('content-security-policy'), "sandbox; default-src 'none'")
  assert.ok(Buffer.from(await download.arrayBuffer()).equals(report), 'the same bytes')

  const [png, html, logo] = await Promise.all(others.map(async s => await heldAt(bruno, s.id)))
  const inline = await api(bruno, 'GET', `/attachments/${png!.id}/content?inline=true`)
  assert.equal(inline.status, 200)
  assert.equal(inline.headers.get('content-type'), 'image/png')
  assert.equal(inline.headers.get('content-security-policy'), "sandbox; default-src 'none'")
  assert.ok(Buffer.from(await inline.arrayBuffer()).equals(image))
  for (const refused of [html!, logo!]) {
    const response = await api(bruno, 'GET', `/attachments/${refused.id}/content?inline=true`)
    assert.equal(response.status, 400, refused.name)
    assert.equal(await errorCode(response), 'BAD_REQUEST')
    const saved = await api(bruno, 'GET', `/attachments/${refused.id}/content`)
    assert.equal(saved.headers.get('content-type'), 'application/octet-stream', `${refused.name} only as a download`)
    assert.match(saved.headers.get('content-disposition') ?? '', /^attachment; /)
    await saved.arrayBuffer()
  }

  // The browser's way: a single-use link, no token, spent on first use.
  const ticketResponse = await api(bruno, 'POST', `/attachments/${staged.id}/download`, { body: '{}' })
  assert.equal(ticketResponse.status, 201)
  const { url } = await ticketResponse.json() as DownloadTicket
  const byLink = await fetch(`${bruno.server.url}${url}`)
  assert.equal(byLink.status, 200)
  assert.match(byLink.headers.get('content-disposition') ?? '', /^attachment; /)
  assert.ok(Buffer.from(await byLink.arrayBuffer()).equals(report))
  const again = await fetch(`${bruno.server.url}${url}`)
  assert.equal(again.status, 404, 'a link used twice is refused')
  assert.equal((await fetch(`${bruno.server.url}${url.replace(/.$/, 'A')}`)).status, 404)

  const usage = await (await api(bruno, 'GET', '/files')).json() as FilesUsage
  assert.equal(usage.mineFiles, 4)
  assert.ok(usage.mineBytes >= report.length + image.length)
})

test('API: bad input gets a clear error and changes nothing', async (t) => {
  const [alice] = await twoDesks(t)
  const empty = await api(alice, 'POST', '/files?name=empty.txt', { body: new Uint8Array(0), type: 'application/octet-stream' })
  assert.equal(empty.status, 400)
  assert.equal(await errorCode(empty), 'BAD_REQUEST')
  const noName = await api(alice, 'POST', '/files', { body: Uint8Array.from(randomBytes(4 * 1024 * 1024)), type: 'application/octet-stream' })
  assert.equal(noName.status, 400)
  const form = await api(alice, 'POST', '/files?name=a.txt', { body: 'a=b', type: 'application/x-www-form-urlencoded' })
  assert.equal(form.status, 415)
  const noToken = await api(alice, 'POST', '/files?name=a.txt', { body: 'abc', type: 'application/octet-stream', token: false })
  assert.equal(noToken.status, 401)
  for (const path of ['/attachments/0000', `/attachments/${'f'.repeat(64)}/content`]) {
    const wrong = await api(alice, 'GET', path)
    assert.equal(wrong.status, 404, path)
    assert.equal(await errorCode(wrong), 'NOT_FOUND')
  }
  assert.equal((await api(alice, 'POST', `/attachments/${'f'.repeat(64)}/download`, { body: '{}' })).status, 404)
  const unknownStaged = await api(alice, 'POST', '/messages', { body: JSON.stringify({ to: 'Bruno', attachments: [{ file: 'not-staged' }] }) })
  assert.equal(unknownStaged.status, 404)
  const nothing = await api(alice, 'POST', '/messages', { body: JSON.stringify({ to: 'Bruno' }) })
  assert.equal(nothing.status, 400)

  const staged = await upload(alice, 'draft.txt', 'text/plain', Buffer.from('not sent'))
  assert.equal((await api(alice, 'DELETE', `/files/${staged.id}`, { body: '{}' })).status, 204)
  assert.equal((await api(alice, 'DELETE', `/files/${staged.id}`, { body: '{}' })).status, 404)
  assert.equal((await (await api(alice, 'GET', '/files')).json() as FilesUsage).mineFiles, 0)

  // An image and its preview staged, not sent yet: the upload says which is the preview, so one file.
  const image = await upload(alice, 'photo.png', 'image/png', randomBytes(3000))
  const preview = await upload(alice, 'preview of photo.png', 'image/webp', randomBytes(300), { preview: 'true' })
  assert.equal((await (await api(alice, 'GET', '/files')).json() as FilesUsage).mineFiles, 1, 'a staged preview is part of its image')
  const unclear = await api(alice, 'POST', '/files?name=p.webp&preview=maybe', { body: Uint8Array.from(randomBytes(300)), type: 'application/octet-stream' })
  assert.equal(unclear.status, 400)
  for (const staged of [image, preview]) assert.equal((await api(alice, 'DELETE', `/files/${staged.id}`, { body: '{}' })).status, 204)
})

test('CLI: send --file in 1:1 and a channel, messages --json lists the files, file save writes the same bytes', async (t) => {
  const [alice, bruno] = await twoDesks(t)
  const folder = await tempHome(t, 'causette-files-cli-')
  const contract = randomBytes(700_000 + 11)
  const contractPath = join(folder, 'Contrat signé.pdf')
  await writeFile(contractPath, contract)
  const notesPath = join(folder, 'notes.txt')
  await writeFile(notesPath, 'minutes of the meeting\n')

  const sent = await cli(alice, 'send', 'Bruno', '--file', contractPath, '--file', notesPath, '--text', 'the contract')
  assert.equal(sent.code, 0, sent.err)
  assert.equal(sent.err, '', 'no progress when stderr is not a terminal')
  const messageId = sent.out.trim()

  const listed = await eventually(async () => {
    const { out } = await cli(bruno, 'messages', '--with', 'Alice', '--json')
    const message = (JSON.parse(out) as MessageView[]).find(m => m.id === messageId)
    return message?.attachments?.every(a => a.state === 'held') === true ? message : undefined
  }, 60_000, 'both files held at Bruno')
  assert.equal(listed.text, 'the contract')
  assert.deepEqual(listed.attachments?.map(a => Object.keys(a).sort()), [0, 1].map(() => ['id', 'name', 'sha256', 'size', 'state', 'type']))
  const [file, notes] = listed.attachments!
  assert.deepEqual([file!.name, file!.size, file!.type, file!.sha256], ['Contrat signé.pdf', contract.length, 'application/pdf', sha256(contract)])
  assert.equal(notes!.type, 'text/plain')

  const table = await cli(bruno, 'messages', '--with', 'Alice')
  assert.match(table.out, new RegExp(`^ {2}file {2}Contrat signé\\.pdf {2}684 KiB {2}application/pdf {2}held {2}${file!.id}$`, 'm'))

  const out = join(folder, 'saved.pdf')
  const saved = await cli(bruno, 'file', 'save', file!.id, '--out', out)
  assert.equal(saved.code, 0, saved.err)
  assert.equal(saved.out, out)
  assert.ok((await readFile(out)).equals(contract), 'the same bytes')
  const refused = await cli(bruno, 'file', 'save', notes!.id, '--out', out)
  assert.equal(refused.code, 1)
  assert.match(refused.err, /exists: give --force/)
  assert.ok((await readFile(out)).equals(contract), 'not overwritten')
  assert.equal((await cli(bruno, 'file', 'save', notes!.id, '--out', out, '--force')).code, 0)
  assert.equal(await readFile(out, 'utf8'), 'minutes of the meeting\n')
  const intoFolder = await cli(bruno, 'file', 'save', file!.id, '--out', bruno.home)
  assert.equal(intoFolder.out, join(bruno.home, 'Contrat signé.pdf'), 'a folder: saved under the file\'s name')
  assert.ok((await readFile(intoFolder.out)).equals(contract))
  const wrong = await cli(bruno, 'file', 'save', 'f'.repeat(64), '--out', join(folder, 'x'))
  assert.equal(wrong.code, 1)
  assert.match(wrong.err, /attachment/)

  const channel = await alice.node.createChannel('legal')
  await alice.node.inviteToChannel(channel.id, ['Bruno'])
  await eventually(async () => (await bruno.node.channels()).find(c => c.id === channel.id && c.members.length === 2), 20_000, 'the channel at Bruno')
  // As a user runs it: its own process, stderr a pipe (no progress drawn there).
  const inChannel = await causette('channel', 'send', 'legal', '--file', notesPath, '--home', alice.home)
  assert.equal(inChannel.code, 0, inChannel.stderr)
  assert.equal(inChannel.stderr, '')
  const channelMessageId = inChannel.stdout.trim()
  const channelFile = await eventually(async () => {
    const { out } = await cli(bruno, 'channel', 'messages', 'legal', '--json')
    const message = (JSON.parse(out) as ChannelMessageView[]).find(m => m.id === channelMessageId)
    return message?.attachments?.[0]?.state === 'held' ? message.attachments[0] : undefined
  }, 60_000, 'the channel file held at Bruno')
  assert.equal(channelFile.sha256, sha256(Buffer.from('minutes of the meeting\n')))

  // On a terminal (a pseudo-terminal by util-linux's `script`), the progress is drawn on stderr.
  const onTerminal = await inTerminal(['send', 'Bruno', '--file', contractPath, '--home', alice.home])
  assert.match(onTerminal, /Contrat signé\.pdf {2}100% {2}684 KiB of 684 KiB {2}\S+ \S+\/s/)
  // And so is a save's.
  const savedOnTerminal = await inTerminal(['file', 'save', file!.id, '--out', join(folder, 'on-terminal.pdf'), '--home', bruno.home])
  assert.match(savedOnTerminal, /Contrat signé\.pdf {2}100% {2}684 KiB of 684 KiB {2}\S+ \S+\/s/)
  assert.ok((await readFile(join(folder, 'on-terminal.pdf'))).equals(contract))

  const usage = await cli(bruno, 'files')
  assert.equal(usage.code, 0, usage.err)
  assert.match(usage.out, /^files {4}\d[\d.]* (bytes|KiB|MiB) of 5 GiB$/m, 'sizes in words, against the limit')
  assert.match(usage.out, /^yours {4}\d[\d.]* (KiB|MiB) in \d+ files \(sent and received\)$/m)
  assert.match(usage.out, /^carried {2}0 bytes for absent colleagues \(removed first when room is needed\)$/m, 'no count of carried files: a carrier cannot tell a preview from a file')
  const missing = await cli(alice, 'send', 'Bruno', '--file', join(folder, 'nope.pdf'))
  assert.equal(missing.code, 2, 'a file that is not there is a usage error')
  assert.match(missing.err, /nope\.pdf is not a file/)
})

test('API and CLI: a file too big for the limit is 507, one not held yet is 409 until it is; cancel and retry', async (t) => {
  const [alice, bruno] = await twoDesks(t)
  const settings = async (desk: Desk, fileLimitBytes: number): Promise<void> => {
    assert.equal((await api(desk, 'PATCH', '/settings', { body: JSON.stringify({ fileLimitBytes }) })).status, 200)
  }
  await settings(alice, 1024 * 1024)
  const tooBig = await api(alice, 'POST', '/files?name=big.bin', { body: Uint8Array.from(randomBytes(2 * 1024 * 1024)), type: 'application/octet-stream' })
  assert.equal(tooBig.status, 507)
  assert.equal(await errorCode(tooBig), 'FILE_STORE_FULL')
  assert.equal((await (await api(alice, 'GET', '/files')).json() as FilesUsage).mineBytes, 0, 'nothing kept of it')
  const bigPath = join(alice.home, 'big.bin')
  await writeFile(bigPath, randomBytes(2 * 1024 * 1024))
  const refused = await cli(alice, 'send', 'Bruno', '--file', bigPath)
  assert.equal(refused.code, 1)
  assert.doesNotMatch(refused.err, /fetch failed/, 'the daemon\'s answer, not a closed connection')
  assert.match(refused.err, /limit|full|room/i)
  await settings(alice, 64 * 1024 * 1024)

  await settings(bruno, 1024 * 1024)
  const bytes = randomBytes(3 * 1024 * 1024)
  const staged = await upload(alice, 'video.mp4', 'video/mp4', bytes)
  assert.equal((await api(alice, 'POST', '/messages', { body: JSON.stringify({ to: 'Bruno', text: 'the video', attachments: [{ file: staged.id }] }) })).status, 201)
  await eventually(async () => {
    const response = await api(bruno, 'GET', `/attachments/${staged.id}`)
    return response.ok && (await response.json() as AttachmentView).state === 'paused' ? true : undefined
  }, 30_000, 'paused at Bruno for room')
  const table = await cli(bruno, 'messages', '--with', 'Alice')
  assert.match(table.out, /^ {2}file {2}video\.mp4 {2}3 MiB {2}video\/mp4 {2}paused \(FILE_STORE_FULL\)/m)
  const notHeld = await api(bruno, 'GET', `/attachments/${staged.id}/content`)
  assert.equal(notHeld.status, 409)
  assert.equal(await errorCode(notHeld), 'FILE_NOT_HELD')
  assert.equal((await api(bruno, 'POST', `/attachments/${staged.id}/download`, { body: '{}' })).status, 409)
  const save = await cli(bruno, 'file', 'save', staged.id, '--out', join(bruno.home, 'video.mp4'))
  assert.equal(save.code, 1)
  assert.match(save.err, /held|paused/)

  const cancelled = await api(bruno, 'POST', `/attachments/${staged.id}/cancel`, { body: '{}' })
  assert.equal((await cancelled.json() as AttachmentView).state, 'cancelled')
  await settings(bruno, 64 * 1024 * 1024)
  const retried = await api(bruno, 'POST', `/attachments/${staged.id}/retry`, { body: '{}' })
  assert.notEqual((await retried.json() as AttachmentView).state, 'cancelled')
  await heldAt(bruno, staged.id)
  const saved = await cli(bruno, 'file', 'save', staged.id, '--out', join(bruno.home, 'video.mp4'))
  assert.equal(saved.code, 0, saved.err)
  assert.ok((await readFile(join(bruno.home, 'video.mp4'))).equals(bytes))
})

/** A file uploaded and sent in a channel of one, so that nobody fetches it meanwhile; resolves once its author holds it. */
async function sentAlone (desk: Desk, name: string, type: string, bytes: Buffer): Promise<StagedFileView> {
  const file = await upload(desk, name, type, bytes)
  const channel = await desk.node.createChannel('solo')
  const sent = await api(desk, 'POST', `/channels/${channel.id}/messages`, { body: JSON.stringify({ text: '', attachments: [{ file: file.id }] }) })
  assert.equal(sent.status, 201, await sent.clone().text())
  await heldAt(desk, file.id)
  return file
}

test('CLI: a file save interrupted by Ctrl-C (SIGINT) or SIGTERM removes its hidden .part file and saves nothing', async (t) => {
  const [alice] = await twoDesks(t)
  // Big enough that the save is still writing when the test sees its .part file.
  const big = await sentAlone(alice, 'archive.bin', 'application/octet-stream', randomBytes(128 * 1024 * 1024))

  for (const stop of ['SIGINT', 'SIGTERM'] as const) {
    const folder = await tempHome(t, 'causette-files-interrupted-')
    const save = spawn(process.execPath, [...cliArgs(), 'file', 'save', big.id, '--out', join(folder, 'archive.bin'), '--home', alice.home], { stdio: 'ignore' })
    t.after(() => { if (save.exitCode === null && save.signalCode === null) save.kill('SIGKILL') })
    const exited = once(save, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    const part = await eventually(async () => (await readdir(folder)).find(name => name.endsWith('.part')), 60_000, 'the save\'s .part file')
    assert.match(part, /^\.archive\.bin\.\d+\.[0-9a-f]{8}\.part$/, 'hidden, beside the target')
    save.kill(stop)
    const [code, signal] = await exited
    assert.deepEqual({ code, signal }, { code: null, signal: stop }, `it dies of the ${stop}, as the shell expects, after tidying up`)
    assert.deepEqual(await readdir(folder), [], `${stop}: neither the .part file nor a partial file is left`)
  }
})

// Before, the save stopped with the system's "ENOSPC: no space left on device, write": no file named,
// nothing said of what was kept.
test('CLI: a file save to a full disk says so in words, leaves nothing behind, and the node keeps running', async (t) => {
  const [alice] = await twoDesks(t)
  const file = await sentAlone(alice, 'report.pdf', 'application/pdf', randomBytes(2 * 1024 * 1024))
  const disk = await mountSmallDisk(t)
  await disk.fill()

  const target = join(disk.path, 'report.pdf')
  const saved = await cli(alice, 'file', 'save', file.id, '--out', target)
  assert.equal(saved.code, 1)
  assert.match(saved.err, /^causette: the disk is full: .*report\.pdf was not saved/)
  assert.deepEqual(await readdir(disk.path), ['filler'], 'neither the file nor its .part is left')
  assert.equal((await alice.node.status()).storage.state, 'ok', 'the node runs on')

  await disk.free()
  assert.equal((await cli(alice, 'file', 'save', file.id, '--out', target)).code, 0)
  assert.equal((await readFile(target)).length, 2 * 1024 * 1024)
})
