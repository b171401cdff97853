// Paging back through a conversation where hundreds of messages arrived in one millisecond (a
// burst, a carrier's hand-over): every page ends on a whole millisecond, so following `before`
// from the oldest message held reaches every message exactly once. The receiver's clock is
// injected and held still while a burst arrives, so each burst shares one millisecond for sure.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CausetteNode } from '../../core/node/node.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'

const BURSTS = [250, 250, 30]
const PAGE = 200

test('pages of 200 through bursts of 250 messages in one millisecond reach every message once, in order', async (t) => {
  let clock = Date.now()
  const alice = await testNode(t, { name: 'alice', now: () => clock })
  const bruno = await testNode(t, { name: 'bruno', peers: [addressOf(alice)] })
  await waitForPeer(bruno, alice.peerId)
  // Alice names Bruno in her polls below: she must have his record, not only he hers.
  await waitForPeer(alice, bruno.peerId)
  let sent = 0
  for (const size of BURSTS) {
    await Promise.all(Array.from({ length: size }, async (_, i) => await bruno.send('alice', `burst at ${clock}: ${i}`)))
    sent += size
    await eventually(async () => (await alice.messages({ with: 'bruno', limit: 1000 })).length >= sent || undefined, 60_000, `${sent} messages at alice`)
    clock += 1
  }
  const all = await alice.messages({ with: 'bruno', limit: 1000 })
  assert.equal(new Set(all.map(m => m.arrived)).size, BURSTS.length, 'each burst arrived in one millisecond')

  const paged = await pageBack(alice)
  assert.equal(paged.length, sent)
  assert.deepEqual(paged.map(m => m.id), all.map(m => m.id), 'the pages, oldest first, are the conversation in its order')
})

/** Pages back from the newest as the app does (ui/src/state/history.svelte.ts): `before` is the oldest arrival held. */
async function pageBack (node: CausetteNode): Promise<Array<{ id: string, arrived?: number | undefined }>> {
  let held: Array<{ id: string, arrived?: number | undefined }> = []
  let before: number | undefined
  for (;;) {
    const page = await node.messages({ with: 'bruno', limit: PAGE, ...(before !== undefined ? { before } : {}) })
    held = [...page, ...held]
    if (page.length < PAGE) return held
    before = page[0]!.arrived
  }
}
