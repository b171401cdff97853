// Search between real nodes on loopback (core/search): a 1:1 and a channel message are found by
// their words without accents or capitals, from the API and the CLI; a page opens around a result;
// the index survives a restart; a profile whose index is gone builds it again at start.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mentionToken } from '../../core/mentions.js'
import { startApiServer } from '../../core/api/server.js'
import { runCli } from '../../core/cli/run.js'
import { isCausetteError } from '../../core/errors.js'
import type { CausetteNode } from '../../core/node/node.js'
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'
import { openDatabase } from '../../core/store/database.js'
import { valueEncryption } from '../../core/store/value-encryption.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { addressOf, eventually, testNode } from '../helpers/nodes.js'

const found = async (node: CausetteNode, q: string): Promise<string[]> => (await node.search({ q })).results.map(hit => hit.id)

test('search: 1:1 and channel messages found accent- and case-free, opened around, kept across a restart and rebuilt', async (t) => {
  const { nodes: [alice, bruno], homes } = await workspaceOf(t, ['Alice', 'Bruno']) as { nodes: CausetteNode[], homes: string[] }
  const direct = await bruno!.send('Alice', 'Le contrat est signé, bravo')
  for (let i = 0; i < 30; i++) await bruno!.send('Alice', `later message ${i}`)
  const channel = await alice!.createChannel('ecoles', 'the schools')
  await alice!.inviteToChannel(channel.id, [bruno!.peerId])
  await eventually(async () => (await bruno!.channels()).find(c => c.id === channel.id && c.members.length === 2), 20_000, 'the channel at Bruno')
  const said = await bruno!.sendToChannel(channel.id, "L'ÉCOLE ouvre lundi")
  await eventually(async () => (await alice!.channelMessages(channel.id)).find(m => m.id === said.id), 20_000, 'the channel message at Alice')
  await eventually(async () => (await alice!.messages({ with: 'Bruno', limit: 100 })).length === 31 || undefined, 20_000, 'the 1:1 messages at Alice')

  const signe = await alice!.search({ q: 'SIGNE' })
  assert.deepEqual(signe.results.map(hit => hit.id), [direct.id])
  const [hit] = signe.results
  assert.deepEqual({ kind: hit!.kind, conversation: hit!.conversation, where: hit!.where, authorName: hit!.authorName }, { kind: 'direct', conversation: bruno!.peerId, where: 'Bruno', authorName: 'Bruno' })
  assert.equal(hit!.excerpt.slice(...hit!.highlights[0]!), 'signé')
  const ecole = await alice!.search({ q: 'ecole' })
  assert.deepEqual(ecole.results.map(r => [r.id, r.kind, r.conversation, r.where]), [[said.id, 'channel', channel.id, '#ecoles']])
  assert.deepEqual(await found(bruno!, 'sign'), [direct.id], 'the sender finds its own message by a word\'s start')

  // An edit's words find the message (once), the old words no longer do, a deletion leaves the
  // results; a mention is searched and shown as the name people see.
  const draft = await bruno!.send('Alice', `Réunion mardi avec ${mentionToken('Alice Martin', alice!.peerId)}`)
  await eventually(async () => (await found(alice!, 'reunion')).includes(draft.id) || undefined, 20_000, 'the draft at Alice')
  const mention = (await alice!.search({ q: 'martin' })).results.find(result => result.id === draft.id)
  assert.equal(mention?.excerpt, 'Réunion mardi avec @Alice Martin')
  await bruno!.amendMessage(draft.id, { kind: 'edit', text: 'Réunion jeudi' })
  await eventually(async () => (await found(alice!, 'jeudi')).includes(draft.id) || undefined, 20_000, 'the edit at Alice')
  assert.deepEqual(await found(alice!, 'mardi'), [], 'the earlier words no longer find it')
  assert.deepEqual(await found(alice!, 'reunion'), [draft.id], 'found once, though two versions hold the word')
  await bruno!.amendMessage(draft.id, { kind: 'retract' })
  await eventually(async () => (await found(alice!, 'reunion')).length === 0 || undefined, 20_000, 'the deletion at Alice')

  // Opening a result far back: a page around it, in the 1:1 and in the channel.
  const around = await alice!.messages({ with: 'Bruno', around: direct.id, limit: 10 })
  assert.ok(around.some(m => m.id === direct.id) && around.length >= 6, 'the page holds the message and those after it')
  assert.ok((await alice!.channelMessages(channel.id, { around: said.id, limit: 10 })).some(m => m.id === said.id))
  await assert.rejects(alice!.messages({ with: 'Bruno', around: said.id, limit: 10 }), (error: unknown) => isCausetteError(error) && error.code === 'NOT_FOUND')

  // Bad input: a clear error, or nothing.
  await assert.rejects(alice!.search({ q: 'x'.repeat(300) }), (error: unknown) => isCausetteError(error) && error.code === 'SEARCH_QUERY_TOO_LONG')
  assert.deepEqual(await alice!.search({ q: '?!… --' }), { words: [], results: [], indexing: false, cut: false })

  // The CLI, through the API of a running node.
  const api = await startApiServer({ node: alice!, home: homes[0]!, port: 0, uiDir: undefined })
  t.after(async () => { await api.close() })
  const out: string[] = []
  assert.equal(await runCli(['search', 'signé', '--home', homes[0]!], { out: line => out.push(line), err: () => {}, env: {} }), 0)
  assert.match(out.join('\n'), /Bruno.*\[signé\]/)

  // A restart keeps the index; a profile without one builds it again.
  await api.close()
  await alice!.stop()
  const again = await testNode(t, { name: 'Alice', home: homes[0]!, peers: [addressOf(bruno!)] })
  assert.deepEqual(await found(again, 'signe'), [direct.id])
  await again.stop()
  await dropIndex(homes[0]!)
  const rebuilt = await testNode(t, { name: 'Alice', home: homes[0]!, peers: [addressOf(bruno!)] })
  await eventually(async () => (await rebuilt.search({ q: 'signe' })).indexing ? undefined : true, 60_000, 'the index rebuilt')
  assert.deepEqual(await found(rebuilt, 'signe'), [direct.id])
  assert.deepEqual(await found(rebuilt, 'ecole'), [said.id])
})

/** Removes every trace of the search index from a stopped node's profile, as in a profile from before it existed. */
async function dropIndex (home: string): Promise<void> {
  const { masterKey } = await loadOrCreateDeviceKeys(home)
  const db = await openDatabase(home, valueEncryption(masterKey))
  try {
    await db.searchPostings.clear()
    await db.searchWords.clear()
    await db.meta.del('search-index')
  } finally {
    await db.close()
  }
}
