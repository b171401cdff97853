// Two colleagues with one name, through real nodes on loopback (mDNS off): a colleague's node calls
// itself " alice " while Alice's is "Alice". The target's views tag both, each with the end of its own
// PeerId (peers, conversations, message authors, who reacted, a quoted author, search results, a
// focus digest and the node's own notifications), and the tags go once the colleague renames, the
// app hearing of both views again (docs/SECURITY.md, "Two colleagues with one name"). `causette
// messages` shows each tag in brackets beside the name, as the app does beside it. The target taking
// Alice's name itself announces her view again, tagged.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startApiServer } from '../../core/api/server.js'
import type { DigestView, PeerView } from '../../core/api/schema.js'
import type { DesktopNote } from '../../core/desk/desktop-notification.js'
import { runCli } from '../../core/cli/run.js'
import type { CausetteNode } from '../../core/node/node.js'
import { addressOf, eventually, stopBeforeRemoving, tempHome, testNode, waitForEvent, waitForPeer } from '../helpers/nodes.js'

async function peerOf (node: CausetteNode, peerId: string): Promise<PeerView> {
  const found = (await node.peers()).find(p => p.peerId === peerId)
  assert.ok(found, `no peer ${peerId}`)
  return found
}

/** What `causette messages` prints for the node whose profile is `home` (its API running). */
async function cliMessages (home: string): Promise<string> {
  const lines: string[] = []
  const code = await runCli(['messages', '--home', home], { out: line => lines.push(line), err: line => lines.push(line), env: {} })
  assert.equal(code, 0, lines.join('\n'))
  return lines.join('\n')
}

test('two colleagues with one name are both tagged, each with the end of its PeerId, until one renames', async (t) => {
  const home = await tempHome(t)
  const notes: DesktopNote[] = []
  const target = await testNode(t, { name: 'Bruno', home, desktopNotifier: async note => { notes.push(note) } })
  const api = await startApiServer({ node: target, home, port: 0 })
  stopBeforeRemoving(home, async () => { await api.close() })
  const alice = await testNode(t, { name: 'Alice', peers: [addressOf(target)] })
  const impostor = await testNode(t, { name: ' alice ', peers: [addressOf(target)] })
  await waitForPeer(target, alice.peerId)
  await waitForPeer(target, impostor.peerId)
  await waitForPeer(alice, target.peerId)
  await waitForPeer(impostor, target.peerId)
  await alice.send(target.peerId, 'from the real Alice')
  await impostor.send(target.peerId, 'from the other one')
  await eventually(async () => (await target.messages({ limit: 10 })).length === 2 ? true : undefined, 20_000, 'both messages received')

  const tags = { [alice.peerId]: alice.peerId.slice(-8), [impostor.peerId]: impostor.peerId.slice(-8) }
  assert.notEqual(tags[alice.peerId], tags[impostor.peerId])
  for (const peerId of [alice.peerId, impostor.peerId]) assert.equal((await peerOf(target, peerId)).nameTag, tags[peerId])
  const conversations = await target.conversations()
  assert.deepEqual(conversations.map(c => [c.peer, c.nameTag]).sort(), [[alice.peerId, tags[alice.peerId]], [impostor.peerId, tags[impostor.peerId]]].sort())
  for (const message of await target.messages({ limit: 10 })) assert.equal(message.authorTag, tags[message.author], message.text)
  assert.equal((await alice.peers()).find(p => p.peerId === target.peerId)?.nameTag, undefined, 'nobody else goes by "Bruno"')
  const printed = await cliMessages(home)
  assert.match(printed, new RegExp(`Alice \\[${tags[alice.peerId]}\\].*from the real Alice`))
  assert.match(printed, new RegExp(`alice \\[${tags[impostor.peerId]}\\].*from the other one`))
  await everywhereElseTagged(target, alice, impostor, notes)

  const since = target.events.lastId
  await impostor.setName('Alain')
  // The app hears of Alice's view too, though her record did not change.
  await waitForEvent(target, f => f.event.type === 'peer' && f.event.peer.peerId === alice.peerId && f.event.peer.nameTag === undefined, 20_000, since)
  await eventually(async () => (await peerOf(target, impostor.peerId)).name === 'Alain' ? true : undefined, 20_000, 'the rename reached the target')
  assert.equal((await peerOf(target, impostor.peerId)).nameTag, undefined)
  assert.equal((await peerOf(target, alice.peerId)).nameTag, undefined, 'Alice no longer shares her name')
  assert.ok((await target.messages({ limit: 10 })).every(m => m.authorTag === undefined))
  assert.doesNotMatch(await cliMessages(home), /\[/, 'no tag once nobody shares a name')

  // The target itself takes Alice's name: the app hears of Alice's view, now tagged.
  const beforeOwnRename = target.events.lastId
  await target.setName('ALICE')
  await waitForEvent(target, f => f.event.type === 'peer' && f.event.peer.peerId === alice.peerId && f.event.peer.nameTag === tags[alice.peerId], 20_000, beforeOwnRename)
})

/**
 * Where else Bruno's node names the two: the node's own notifications (no app is open), who reacted,
 * a quoted author, search results (author and 1:1 conversation), and a focus digest.
 */
async function everywhereElseTagged (target: CausetteNode, alice: CausetteNode, impostor: CausetteNode, notes: DesktopNote[]): Promise<void> {
  const tagOf = (node: CausetteNode): string => node.peerId.slice(-8)
  await eventually(() => notes.length >= 2 || undefined, 20_000, 'both notifications')
  assert.deepEqual(notes.map(note => note.title).sort(), [`Alice [${tagOf(alice)}]`, `alice [${tagOf(impostor)}]`].sort())

  const fromAlice = (await target.messages({ with: alice.peerId, limit: 10 })).find(m => m.author === alice.peerId)
  assert.ok(fromAlice)
  const reply = await target.send(alice.peerId, 'noted', { quote: fromAlice.id })
  assert.deepEqual([reply.quote?.authorName, reply.quote?.authorTag], ['Alice', tagOf(alice)])
  await eventually(async () => (await alice.messages({ with: target.peerId, limit: 10 })).some(m => m.id === reply.id) || undefined, 20_000, 'the reply at Alice')
  await alice.amendMessage(reply.id, { kind: 'reaction', emoji: '👍', removed: false })
  const reacted = await eventually(async () => (await target.messages({ with: alice.peerId, limit: 10 })).find(m => m.id === reply.id && m.reactions !== undefined), 20_000, 'Alice\'s reaction')
  assert.deepEqual(reacted.reactions?.[0]?.authors, [{ peerId: alice.peerId, name: 'Alice', nameTag: tagOf(alice) }])

  const found = (await target.search({ q: 'real' })).results
  assert.deepEqual(found.map(hit => [hit.where, hit.whereTag, hit.authorName, hit.authorTag]), [['Alice', tagOf(alice), 'Alice', tagOf(alice)]])

  await target.mute({ with: impostor.peerId, muted: true, forMinutes: 60 })
  const since = target.events.lastId
  await impostor.send(target.peerId, 'while muted')
  await eventually(async () => (await target.presence()).held > 0 || undefined, 20_000, 'the message held by the mute')
  await target.mute({ with: impostor.peerId, muted: false })
  const frame = await waitForEvent(target, f => f.event.type === 'digest', 20_000, since)
  const digest = (frame.event as { digest: DigestView }).digest
  assert.deepEqual(digest.from.map(from => [from.name, from.nameTag]), [['alice', tagOf(impostor)]])
  await eventually(() => notes.some(note => note.body === `From alice [${tagOf(impostor)}]`) || undefined, 20_000, 'the digest notification, tagged')
}
