// A search result in a short history (UX audit s17, items 1, 13 and 3), three daemons in one
// workspace: a thread reply found in a channel that fits on one screen opens its thread on the reply,
// highlighted, while the channel shows its whole history (no "Loading older messages…" left) and
// Bruno's next message at once; a 1:1 conversation opened at a found message loads the rest, and a
// live message arriving out of view shows a "New messages" button that goes to it. Carla, added after
// the thread's first message, sees the replies to it in the channel's timeline, said to answer a
// message she does not have, also live. axe-core on each screen.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { assertAccessible } from '../helpers/browser-axe.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'

const ROOT = 'Le planning du lancement est en ligne'
const REPLY = 'Oui, je relis le planning ce soir'
const FOUND_1TO1 = 'On garde le devis Dupont pour jeudi'
/** Enough 1:1 messages after the found one that the newest is out of view when it is shown. */
const LATER_1TO1 = 40

interface Seeded { channel: string, root: string, reply: string }

/** A channel of Alice and Bruno with a thread; Carla added after its first message; a 1:1 of Bruno to Alice. */
async function seed (alice: Daemon, bruno: Daemon, carla: Daemon): Promise<Seeded> {
  const channel = await alice.node.createChannel('projet-atlas', 'Le lancement')
  await alice.node.inviteToChannel(channel.id, [bruno.node.peerId])
  await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === channel.id), 'the channel at Bruno', 30_000)
  const root = await alice.node.sendToChannel(channel.id, ROOT)
  await waitUntil(async () => (await bruno.node.channelMessages(channel.id)).some(m => m.id === root.id), 'the post at Bruno', 30_000)
  await alice.node.inviteToChannel(channel.id, [carla.node.peerId])
  await waitUntil(async () => (await bruno.node.channel(channel.id)).members.length === 3, 'Carla in the channel at Bruno', 30_000)
  await waitUntil(async () => (await carla.node.channels()).some(c => c.id === channel.id), 'the channel at Carla', 30_000)
  const reply = await bruno.node.sendToChannel(channel.id, REPLY, { replyTo: root.id })
  for (const daemon of [alice, carla]) {
    await waitUntil(async () => (await daemon.node.channelMessages(channel.id)).some(m => m.id === reply.id), `the reply at ${daemon.name}`, 30_000)
  }
  await bruno.node.send(alice.node.peerId, FOUND_1TO1)
  for (let i = 1; i <= LATER_1TO1; i++) await bruno.node.send(alice.node.peerId, `point ${i} de la liste`)
  await waitUntil(async () => (await alice.node.messages({ with: bruno.node.peerId, limit: 100 })).length === LATER_1TO1 + 1, 'the 1:1 messages at Alice', 60_000)
  return { channel: channel.id, root: root.id, reply: reply.id }
}

describe('search: a result in a short history', () => {
  const session = {} as { daemons: [Daemon, Daemon, Daemon], apps: OpenApps, a: Page, c: Page, seeded: Seeded }
  before(async () => {
    session.daemons = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit', 'Carla Rossi']) as [Daemon, Daemon, Daemon]
    session.seeded = await seed(...session.daemons)
    session.apps = await openApps([session.daemons[0], session.daemons[2]]);
    [session.a, session.c] = session.apps.pages as [Page, Page]
  })
  after(async () => {
    await session.apps?.close()
    for (const daemon of session.daemons ?? []) await daemon.close()
  })

  const search = async (page: Page, words: string, hit: string): Promise<void> => {
    await page.getByRole('searchbox', { name: 'Search messages' }).fill(words)
    const result = page.locator('a.result', { hasText: hit })
    await result.waitFor()
    await result.click()
  }
  const main = (page: Page) => page.getByRole('log', { name: /^Messages / })
  const thread = (page: Page) => page.getByRole('region', { name: /^Thread in #projet-atlas/ })

  it('a found thread reply opens its thread, the reply highlighted, beside the whole channel', async () => {
    const { a, seeded } = session
    await search(a, 'relis', 'je relis')
    const found = thread(a).locator('[data-found="true"]')
    await found.waitFor()
    assert.match(await found.textContent() ?? '', /je relis le planning/)
    await main(a).getByText('This is the beginning of #projet-atlas').waitFor()
    assert.equal(await main(a).getByText('Loading older messages…').count(), 0)
    await main(a).locator(`[data-message-id="${seeded.root}"]`).getByRole('link', { name: '1 reply' }).waitFor()
    assert.equal(await main(a).locator(`[data-message-id="${seeded.reply}"]`).count(), 0, 'a reply whose thread is held stays in its thread')
    assert.equal(new URL(a.url()).hash, `#/channel/${seeded.channel}/thread/${seeded.root}/message/${seeded.reply}`)
    await assertAccessible(a, 'a found reply in its thread')
    await screenshot(a, 'search-found-reply')
  })

  it('Bruno\'s next message in that channel shows at once', async () => {
    const { a, daemons, seeded } = session
    await daemons[1].node.sendToChannel(seeded.channel, 'Réunion avancée à 9h')
    await main(a).locator('[data-message-id]', { hasText: 'Réunion avancée à 9h' }).waitFor()
  })

  it('a 1:1 result loads the rest of the conversation; a live message out of view gets a "New messages" button', async () => {
    const { a, daemons } = session
    await search(a, 'devis dupont', 'devis Dupont')
    const found = a.locator('[data-found="true"]')
    await found.waitFor()
    assert.match(await found.textContent() ?? '', /devis Dupont/)
    await main(a).getByText('Start of your conversation').waitFor()
    await waitUntil(async () => Number(await main(a).getAttribute('data-rows')) === LATER_1TO1 + 1, 'every message of the conversation held')
    await daemons[1].node.send(daemons[0].node.peerId, 'Message en direct de Bruno')
    const button = a.getByRole('button', { name: 'New messages' })
    await button.waitFor()
    await assertAccessible(a, 'the "New messages" button')
    await screenshot(a, 'search-new-messages-below')
    await button.click()
    await main(a).locator('[data-message-id]', { hasText: 'Message en direct de Bruno' }).waitFor({ state: 'visible' })
    await button.waitFor({ state: 'detached' })
  })

  it('Carla sees the reply to a post from before she joined, in the timeline, said so; and the next one live', async () => {
    const { c, daemons, seeded } = session
    // Her node says so in its pages, so that a history longer than a page shows the reply too.
    assert.equal((await daemons[2].node.channelMessages(seeded.channel)).find(m => m.id === seeded.reply)?.replyToHeld, false)
    await c.getByRole('region', { name: 'Channels' }).getByRole('link', { name: /^projet-atlas/ }).click()
    const reply = main(c).locator(`[data-message-id="${seeded.reply}"]`)
    await reply.waitFor()
    await reply.getByText(/Reply in a thread whose first message is not on this computer/).waitFor()
    await assertAccessible(c, 'a reply whose thread is not held')
    await screenshot(c, 'channel-reply-without-its-post')
    await daemons[1].node.sendToChannel(seeded.channel, 'Et je corrige les dates', { replyTo: seeded.root })
    await main(c).locator('[data-message-id]', { hasText: 'Et je corrige les dates' }).getByText(/Reply in a thread/).waitFor()
  })
})
