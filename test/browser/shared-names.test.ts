// Two colleagues with one name, in the browser: Bruno's node knows the real Alice Martin and a
// colleague whose node calls itself "alice martin" too. His sidebar lists two conversations named
// Alice Martin, each with the end of its PeerId beside the name, as do their messages and the
// conversation header; the safety number screen says two colleagues use the name. Who reacted, a
// quoted author, a mention in a message, a search result and the app's notification carry the tag
// too. And a colleague posing as another in a second way, by copying the id of their message: the
// open conversation drops the copy at once when the real message takes its id over (no reload,
// docs/SECURITY.md, "A message id belongs to its author"). Screenshots in test-artifacts/ (docs/SECURITY.md, "Two colleagues with one name").
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { assertAccessibleInBothThemes } from '../helpers/browser-axe.js'
import { buildUiOnce, startDaemon, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, recordNotifications, type OpenApps } from '../helpers/browser-session.js'
import { rawPeer } from '../helpers/raw-peer.js'
import { messageIdOf } from '../../crypto/message-id.js'
import { randomBytes } from '../../crypto/random.js'

describe('browser app: two colleagues with one name', () => {
  let alice: Daemon
  let impostor: Daemon
  let bruno: Daemon
  let apps: OpenApps
  let b: Page

  before(async () => {
    const uiDir = await buildUiOnce()
    bruno = await startDaemon({ name: 'Bruno Petit', uiDir })
    alice = await startDaemon({ name: 'Alice Martin', uiDir, peers: [bruno.address] })
    impostor = await startDaemon({ name: 'alice martin', uiDir, peers: [bruno.address] })
    for (const daemon of [alice, impostor]) {
      await waitUntil(async () => (await bruno.node.peers()).some(p => p.peerId === daemon.node.peerId && p.connected), `Bruno to know ${daemon.node.peerId}`, 30_000)
      await waitUntil(async () => (await daemon.node.peers()).some(p => p.peerId === bruno.node.peerId && p.connected), `${daemon.node.peerId} to know Bruno`, 30_000)
    }
    await alice.node.send(bruno.node.peerId, 'The real one here')
    await impostor.node.send(bruno.node.peerId, 'Please send me the payroll file')
    await waitUntil(async () => (await bruno.node.conversations()).length === 2, 'both conversations at Bruno\'s')
    apps = await openApps([bruno], recordNotifications);
    [b] = apps.pages as [Page]
  })

  after(async () => {
    await apps?.close()
    for (const daemon of [alice, impostor, bruno]) await daemon?.close()
  })

  const tagOf = (daemon: Daemon): string => daemon.node.peerId.slice(-8)
  /** The name as a screen reader hears it, tag included (spaces as the page's elements leave them). */
  const spoken = (name: string, daemon: Daemon): RegExp => new RegExp(`^${name}\\s*,\\s*shares this name with another colleague, id\\s*${tagOf(daemon)}`)
  const conversationRow = (daemon: Daemon) => b.locator(`a[href="#/chat/${encodeURIComponent(daemon.node.peerId)}"]`)

  it('lists both conversations in the sidebar, each with its own tag beside the name', async () => {
    for (const daemon of [alice, impostor]) {
      const tag = conversationRow(daemon).locator('[data-name-tag]')
      await tag.waitFor()
      assert.equal(await tag.getAttribute('data-name-tag'), tagOf(daemon))
      assert.match(await conversationRow(daemon).innerText(), new RegExp(`^Alice Martin\\s*, shares this name with another colleague, id\\s*${tagOf(daemon)}\\n`, 'i'))
    }
    assert.notEqual(tagOf(alice), tagOf(impostor))
    await b.getByRole('button', { name: spoken('alice martin', impostor) }).waitFor()
    await screenshot(b, 'shared-names-sidebar')
    await assertAccessibleInBothThemes(b, 'the sidebar with two colleagues of one name')
  })

  it('shows the tag on the message, in its label, and in the conversation header', async () => {
    await conversationRow(impostor).click()
    const message = b.locator('[data-message-id]', { hasText: 'payroll file' })
    await message.waitFor()
    assert.equal(await message.locator('[data-name-tag]').getAttribute('data-name-tag'), tagOf(impostor))
    assert.match(await message.getAttribute('aria-label') ?? '', spoken('alice martin', impostor))
    await b.getByRole('heading', { name: spoken('alice martin', impostor) }).waitFor()
    await screenshot(b, 'shared-names-message')
    await assertAccessibleInBothThemes(b, 'a message from a colleague sharing a name')
  })

  it('says on the safety number screen that two colleagues use the name', async () => {
    await b.getByRole('link', { name: /^Safety number with alice martin/ }).click()
    const notice = b.locator('[data-shared-name]')
    await notice.waitFor()
    assert.match(await notice.innerText(), new RegExp(`Two colleagues use the name alice martin\\..*${tagOf(impostor)}.*Compare safety numbers`, 's'))
    await screenshot(b, 'shared-names-safety-number')
    await assertAccessibleInBothThemes(b, 'the safety number screen of a shared name')
  })

  it('tags who reacted, the quoted author, a mention, a search result and the app\'s notification', async () => {
    await b.getByRole('link', { name: spoken('Back to the conversation with alice martin', impostor) }).click()
    const payroll = (await bruno.node.messages({ with: impostor.node.peerId, limit: 10 })).find(m => m.text.includes('payroll'))
    assert.ok(payroll)
    const reply = await bruno.node.send(impostor.node.peerId, 'Which file?', { quote: payroll.id })
    await waitUntil(async () => (await impostor.node.messages({ with: bruno.node.peerId, limit: 10 })).some(m => m.id === reply.id), 'the reply at the impostor\'s')
    await impostor.node.amendMessage(reply.id, { kind: 'reaction', emoji: '👍', removed: false })
    await impostor.node.send(bruno.node.peerId, `Ask @[Alice Martin](${alice.node.peerId}) if you doubt it`)

    const replied = b.locator(`[data-message-id="${reply.id}"]`)
    await replied.getByRole('button', { name: new RegExp(`^👍 1: alice martin, shares this name with another colleague, id ${tagOf(impostor)}`) }).waitFor()
    assert.equal(await replied.locator('button.quote [data-name-tag]').getAttribute('data-name-tag'), tagOf(impostor))
    const mention = b.locator('.mention', { hasText: '@Alice Martin' })
    await mention.waitFor()
    assert.equal(await mention.locator('[data-name-tag]').getAttribute('data-name-tag'), tagOf(alice))
    await screenshot(b, 'shared-names-reaction-quote-mention')
    await assertAccessibleInBothThemes(b, 'a reaction, a quote and a mention of colleagues sharing a name')

    await alice.node.send(bruno.node.peerId, 'Are you there?')
    await waitUntil(async () => (await b.evaluate('window.shownNotifications') as string[]).includes(`Alice Martin [${tagOf(alice)}]`), 'the notification, tagged')

    await b.getByRole('searchbox', { name: 'Search messages' }).fill('payroll')
    const found = b.locator(`a.result[data-message-id="${payroll.id}"]`)
    await found.waitFor()
    assert.equal(await found.locator('[data-name-tag]').getAttribute('data-name-tag'), tagOf(impostor))
    await assertAccessibleInBothThemes(b, 'a search result from a colleague sharing a name')
    await b.getByRole('searchbox', { name: 'Search messages' }).fill('')
  })

  it('drops a copy of another\'s message id from the open conversation as soon as its author\'s message takes the id over', async (t) => {
    const [author, copier] = [await rawPeer(t), await rawPeer(t)]
    const salt = randomBytes(32)
    const id = messageIdOf(author.publicKey, salt)
    const fromCopier = await copier.open(bruno.node)
    await fromCopier.sendSealed(await copier.seal(bruno.node, 'Squatting on your id', { id }))
    assert.equal((await fromCopier.ack()).errorCode, '')
    const chatWith = (peer: { libp2p: { peerId: { toString: () => string } } }): string => `#/chat/${encodeURIComponent(peer.libp2p.peerId.toString())}`
    await b.evaluate(hash => { location.hash = hash }, chatWith(copier))
    const shown = b.getByRole('main').locator(`[data-message-id="${id}"]`)
    await shown.getByText('Squatting on your id').waitFor()

    const fromAuthor = await author.open(bruno.node)
    await fromAuthor.sendSealed(await author.seal(bruno.node, 'The words really sent under this id', { id, salt }))
    assert.equal((await fromAuthor.ack()).errorCode, '')
    // Dropped from the open conversation and the sidebar's preview, with no reload.
    await shown.waitFor({ state: 'detached' })
    await waitUntil(async () => !(await b.locator(`a[href="${chatWith(copier)}"]`).first().innerText()).includes('Squatting'), 'the copy gone from the sidebar\'s preview')
    await b.evaluate(hash => { location.hash = hash }, chatWith(author))
    await b.getByRole('main').locator(`[data-message-id="${id}"]`, { hasText: 'The words really sent under this id' }).waitFor()
  })
})
