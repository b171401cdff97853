// "Last seen" says when a colleague was last connected, also across our own restart: a node that
// stops notes every peer still connected as seen until then (libp2p's stop closes its connections
// without a peer:disconnect), or its next start shows when the connection began: hours ago, for a
// colleague connected all day. Real daemons, driven through the CLI as a user does.
import { it } from 'node:test'
import assert from 'node:assert/strict'
import type { InviteView, PeerView } from '../../core/api/schema.js'
import { causette, causetteJson, startDaemon, stopDaemon } from '../helpers/cli-process.js'
import { eventually } from '../helpers/nodes.js'

it('a daemon that stops notes each peer still connected as seen until the stop', async (t) => {
  const anne = await startDaemon(t, 'anne')
  const bruno = await startDaemon(t, 'bruno')
  assert.equal((await causette('workspace', 'create', 'Acme', '--home', anne.home)).code, 0)
  const invite = await causetteJson<InviteView>('invite', '--home', anne.home)
  const joined = await causette('workspace', 'join', invite.code, '--home', bruno.home)
  assert.equal(joined.code, 0, joined.stderr)
  const brunoAt = async (home: string): Promise<PeerView | undefined> => (await causetteJson<PeerView[]>('peers', '--home', home)).find(peer => peer.peerId === bruno.peerId)
  const greeted = await eventually(async () => { const seen = await brunoAt(anne.home); return seen?.connected === true ? seen.lastSeen ?? undefined : undefined }, 30_000, 'bruno greeted')
  await eventually(() => Date.now() > greeted || undefined, 20_000, 'the clock past the greeting')

  // Bruno frozen: his node can neither dial Anne again nor be greeted by her, which would note him anew.
  bruno.process.kill('SIGSTOP')
  t.after(() => { bruno.process.kill('SIGCONT') })
  const stopping = Date.now()
  assert.equal(await stopDaemon(anne), 0)

  const restarted = await startDaemon(t, 'anne', { home: anne.home })
  const seen = await brunoAt(restarted.home)
  assert.ok(seen !== undefined && seen.lastSeen !== null, 'bruno is still a contact')
  assert.ok(seen.lastSeen >= stopping, `last seen ${seen.lastSeen}: before the stop began (${stopping}); greeted at ${greeted}`)
})
