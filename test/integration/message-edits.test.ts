// Issue 14 item 3: edit and delete one's own message, reply with quote, reactions taken back; for
// 1:1 and channels alike, between real nodes. The journal keeps every version, and its export
// verifies with `causette log verify` and the independent Python verifier. A forged edit of someone
// else's message is refused, and an edit that comes before its original waits for it.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { startApiServer } from '../../core/api/server.js'
import type { ChannelMessageView, MessageView } from '../../core/api/schema.js'
import { logCommand } from '../../core/cli/commands/log.js'
import { runCli } from '../../core/cli/run.js'
import { isCausetteError } from '../../core/errors.js'
import type { CausetteNode } from '../../core/node/node.js'
import { toBase64Url } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { eventually, tempHome, testNode } from '../helpers/nodes.js'
import { rawPeer } from '../helpers/raw-peer.js'
import { exportedMessages } from '../../ui/src/verifier/export-messages.js'

type Shown = Pick<MessageView, 'id' | 'text' | 'edited' | 'versions' | 'deleted' | 'quote' | 'reactions'>

/** Waits until `node` shows the message `id` as `check` wants it. */
async function shownAt<V extends Shown> (list: () => Promise<V[]>, id: string, check: (m: V) => boolean, what: string): Promise<V> {
  return await eventually(async () => (await list()).find(m => m.id === id && check(m)), 20_000, what)
}

test('1:1 and channel: edit, reply with quote, react and take it back, delete; the export shows the history and verifies', async (t) => {
  const { nodes: [alice, bruno], homes: [aliceHome] } = await workspaceOf(t, ['Alice', 'Bruno']) as { nodes: CausetteNode[], homes: string[] }
  const direct = (node: CausetteNode, other: CausetteNode) => async (): Promise<MessageView[]> => await node.messages({ with: other.peerId, limit: 100 })

  // 1:1
  const first = await alice!.send(bruno!.peerId, 'The meeting is at 10')
  await shownAt(direct(bruno!, alice!), first.id, m => m.text === 'The meeting is at 10', 'the original at Bruno')
  const edited = await alice!.amendMessage(first.id, { kind: 'edit', text: 'The meeting is at 11' })
  assert.deepEqual([edited.text, edited.edited, edited.versions?.map(v => v.text)], ['The meeting is at 11', true, ['The meeting is at 10', 'The meeting is at 11']])
  const atBruno = await shownAt(direct(bruno!, alice!), first.id, m => m.edited === true, 'the edit at Bruno')
  assert.equal(atBruno.text, 'The meeting is at 11')
  await assert.rejects(bruno!.amendMessage(first.id, { kind: 'edit', text: 'mine now' }), (e: unknown) => isCausetteError(e, 'AMEND_NOT_AUTHOR'))
  await assert.rejects(bruno!.amendMessage(first.id, { kind: 'retract' }), (e: unknown) => isCausetteError(e, 'AMEND_NOT_AUTHOR'))

  const reply = await bruno!.send(alice!.peerId, 'OK, 11 it is', { quote: first.id })
  assert.deepEqual(reply.quote, { id: first.id, held: true, author: alice!.peerId, authorName: 'Alice', text: 'The meeting is at 11', deleted: false })
  await bruno!.amendMessage(first.id, { kind: 'reaction', emoji: '👍', removed: false })
  const reacted = await shownAt(direct(alice!, bruno!), first.id, m => m.reactions !== undefined, 'the reaction at Alice')
  assert.deepEqual(reacted.reactions, [{ emoji: '👍', count: 1, authors: [{ peerId: bruno!.peerId, name: 'Bruno' }], mine: false }])
  const quoted = await shownAt(direct(alice!, bruno!), reply.id, m => m.quote !== undefined, 'the reply at Alice')
  assert.equal(quoted.quote?.text, 'The meeting is at 11')
  const unreacted = await bruno!.amendMessage(first.id, { kind: 'reaction', emoji: '👍', removed: true })
  assert.equal(unreacted.reactions, undefined)
  await shownAt(direct(alice!, bruno!), first.id, m => m.reactions === undefined, 'the reaction taken back at Alice')

  await alice!.amendMessage(first.id, { kind: 'retract' })
  const deleted = await shownAt(direct(bruno!, alice!), first.id, m => m.deleted === true, 'the deletion at Bruno')
  assert.deepEqual([deleted.text, deleted.versions, deleted.reactions], ['', undefined, undefined])
  assert.equal((await shownAt(direct(bruno!, alice!), reply.id, m => m.quote?.deleted === true, 'the quote of a deleted message')).quote?.text, '')
  assert.deepEqual((await bruno!.messages({ q: 'meeting', limit: 10 })).map(m => m.id), [], 'a deleted message is not found')
  assert.deepEqual((await direct(bruno!, alice!)()).map(m => m.id), [first.id, reply.id], 'edits, reactions and the deletion are not messages of their own')
  await assert.rejects(alice!.amendMessage(first.id, { kind: 'edit', text: 'back' }), (e: unknown) => isCausetteError(e, 'AMEND_BAD_TARGET'))

  // A channel
  const channel = await alice!.createChannel('launch')
  await alice!.inviteToChannel(channel.id, [bruno!.peerId])
  await eventually(async () => (await bruno!.channels()).find(c => c.id === channel.id && c.member), 20_000, 'the channel at Bruno')
  const inChannel = (node: CausetteNode) => async (): Promise<ChannelMessageView[]> => await node.channelMessages(channel.id)
  const post = await alice!.sendToChannel(channel.id, 'Launch on Friday')
  await shownAt(inChannel(bruno!), post.id, () => true, 'the post at Bruno')
  await alice!.amendChannelMessage(channel.id, post.id, { kind: 'edit', text: 'Launch on Monday' })
  await bruno!.amendChannelMessage(channel.id, post.id, { kind: 'reaction', emoji: '🎉', removed: false })
  const quoting = await bruno!.sendToChannel(channel.id, 'Monday works', { quote: post.id })
  const atAlice = await shownAt(inChannel(alice!), post.id, m => m.reactions !== undefined, 'edit and reaction at Alice')
  assert.deepEqual([atAlice.text, atAlice.edited, atAlice.reactions?.[0]?.emoji], ['Launch on Monday', true, '🎉'])
  await shownAt(inChannel(alice!), quoting.id, m => m.quote?.text === 'Launch on Monday', 'the quote at Alice')
  await assert.rejects(bruno!.amendChannelMessage(channel.id, post.id, { kind: 'retract' }), (e: unknown) => isCausetteError(e, 'AMEND_NOT_AUTHOR'))
  await bruno!.amendChannelMessage(channel.id, post.id, { kind: 'reaction', emoji: '🎉', removed: true })
  await shownAt(inChannel(alice!), post.id, m => m.reactions === undefined, 'the reaction taken back at Alice')
  await alice!.amendChannelMessage(channel.id, post.id, { kind: 'retract' })
  await shownAt(inChannel(bruno!), post.id, m => m.deleted === true && m.text === '', 'the deletion at Bruno')

  // The journal keeps the original, the edit and the deletion as entries of their own; the export verifies.
  const api = await startApiServer({ node: alice!, home: aliceHome!, port: 0 })
  t.after(async () => { await api.close() })
  const out: string[] = []
  const log = async (...argv: string[]): Promise<number> => await logCommand.run({ home: aliceHome!, json: false, argv, out: l => out.push(l), err: l => out.push(l) })
  const file = join(aliceHome!, 'export.txt')
  assert.equal(await log('export', '--with', bruno!.peerId, '--out', file), 0, out.join('\n'))
  assert.equal(await log('verify', file), 0, out.join('\n'))
  assert.match(execFileSync('python3', ['docs/examples/verify_journal.py', file], { encoding: 'utf8' }), /^OK/)
  const exported = readFileSync(file, 'utf8').split('\n')
  // The app's verifier page lists the original with its later version and its deletion.
  const original = exportedMessages(exported).find(m => m.id === first.id)
  assert.deepEqual([original?.text, original?.laterVersions, original?.deleted], ['The meeting is at 10', ['The meeting is at 11'], true])
  const lines = exported.filter(l => l.startsWith('body '))
  const texts = lines.map(l => Buffer.from(l.split(' ')[2]!, 'base64').toString('utf8'))
  assert.ok(texts.includes(JSON.stringify({ text: 'The meeting is at 10' })), 'the original stays')
  assert.ok(texts.includes(JSON.stringify({ text: 'The meeting is at 11', edit: first.id })), 'the edit is its own entry')
  assert.ok(texts.includes(JSON.stringify({ text: '', retract: first.id })), 'the deletion is its own entry')

  // The same from the command line.
  const cli = async (...args: string[]): Promise<string> => {
    const lines: string[] = []
    const code = await runCli([...args, '--home', aliceHome!], { out: l => lines.push(l), err: l => lines.push(l), env: {} })
    assert.equal(code, 0, `causette ${args.join(' ')}: ${lines.join('\n')}`)
    return lines.join('\n')
  }
  const id = await cli('send', 'Bruno', 'See you there', '--reply-to', reply.id)
  assert.equal((await shownAt(direct(bruno!, alice!), id, m => m.quote !== undefined, 'the CLI reply at Bruno')).quote?.id, reply.id)
  assert.match(await cli('edit', id, 'See you at 11'), /See you at 11 {2}\(edited\)/)
  assert.match(await cli('react', reply.id, '✅'), /✅ 1/)
  assert.doesNotMatch(await cli('react', reply.id, '✅', '--remove'), /✅/)
  assert.match(await cli('delete', id), /\(deleted\)/)
  assert.match(await cli('react', quoting.id, '👀', '--channel', channel.id), /👀 1/)
})

test('a forged edit of someone else\'s message is refused; an edit before its original is applied when the original comes', async (t) => {
  const alice = await testNode(t, { home: await tempHome(t), name: 'alice' })
  const raw = await rawPeer(t)
  const stream = await raw.open(alice)
  const send = async (text: string, seq: number, id?: string): Promise<string> => {
    await stream.sendSealed(await raw.seal(alice, text, { seq, ...(id !== undefined ? { id } : {}) }))
    return (await stream.ack()).errorCode
  }
  assert.equal(await send(JSON.stringify({ text: 'hello' }), 1), '')
  const rawId = (await alice.peers())[0]!.peerId
  const mine = await alice.send(rawId, 'my own words')
  assert.equal(await send(JSON.stringify({ text: 'your words now', edit: mine.id }), 2), 'AMEND_NOT_AUTHOR')
  assert.equal(await send(JSON.stringify({ text: '', retract: mine.id }), 3), 'AMEND_NOT_AUTHOR')
  assert.equal(await send(JSON.stringify({ text: 'not a body', edit: 'short' }), 4), 'BAD_STATEMENT')
  assert.equal((await alice.messages({ with: rawId, limit: 10 })).find(m => m.id === mine.id)?.text, 'my own words')

  // The edit first (kept: its original is not held yet), then the original: shown edited.
  const later = toBase64Url(randomBytes(32))
  assert.equal(await send(JSON.stringify({ text: 'fixed typo', edit: later }), 5), '')
  assert.equal(await send(JSON.stringify({ text: 'fixed tpyo' }), 6, later), '')
  const shown = (await alice.messages({ with: rawId, limit: 10 })).find(m => m.id === later)
  assert.deepEqual([shown?.text, shown?.edited, shown?.versions?.map(v => v.text)], ['fixed typo', true, ['fixed tpyo', 'fixed typo']])
  // Older bodies were the bare text: still shown as such.
  assert.equal(await send('plain old text', 7), '')
  assert.ok((await alice.messages({ with: rawId, limit: 10 })).some(m => m.text === 'plain old text'))
})
