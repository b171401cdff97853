// The composer's drafts, against real daemons in Chromium. A send that fails, or that a reload cuts
// short: the POST of a message is held by playwright's route until the test lets it go, so that the
// user can type a new draft, open another conversation or reload meanwhile. A failed send puts its
// text back only where no newer text stands, and says it failed in the conversation it was sent in;
// a send cut short by a reload, which the node accepted, is never offered again as a draft. What the
// composer holds besides the text (an urgent message's tick and reason, a quote) never follows to
// another conversation or thread, and two tabs of the app keep each other's drafts. A send whose
// answer was lost, sent again unchanged, carries the same sendId: the node answers the message it
// stored, and it is there once: after a reload too (its quote, urgency and mention come back with its
// text, and its files, which a reload loses, are asked for by name), and once the unsent text is put
// back in the box.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page, Route } from 'playwright-core'
import { launchProfile, overflowingElements, screenshot, type BrowserProfile } from '../helpers/browser.js'
import { assertAccessibleInBothThemes } from '../helpers/browser-axe.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'

/** What the app posts to send a 1:1 message. */
interface SendBody { to: string, text: string, sendId?: string, quote?: string, urgent?: string, attachments?: unknown[] }

/** A refusal of the node, as the API words one. */
const BUSY = { status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'NOT_READY', message: 'the node is busy' } }) }

/** The next POST of a 1:1 message, held: `routed` resolves with it; the test then fetches, fulfils or leaves it. */
async function holdNextSend (page: Page): Promise<{ routed: Promise<Route>, release: () => Promise<void> }> {
  let held: (route: Route) => void = () => {}
  const routed = new Promise<Route>(resolve => { held = resolve })
  await page.route('**/api/v1/messages', async route => {
    if (route.request().method() !== 'POST') return await route.fallback()
    held(route)
  }, { times: 1 })
  return { routed, release: async () => { await page.unroute('**/api/v1/messages') } }
}

describe('browser app: drafts, and the sends that fail', () => {
  let alice: Daemon
  let bruno: Daemon
  let carol: Daemon
  let browser: BrowserProfile
  let a: Page
  const composer = (): ReturnType<Page['getByRole']> => a.getByRole('textbox', { name: 'Message' })
  const open = async (daemon: Daemon): Promise<void> => {
    await a.goto(`${alice.api.url}/#/chat/${daemon.node.peerId}`)
    await a.getByRole('heading', { name: daemon.name }).waitFor()
  }

  /** How many messages of `text` `node` holds with `peer`: a duplicate shows as 2. */
  const held = async (node: Daemon, peer: Daemon, text: string): Promise<number> => (await node.node.messages({ with: peer.node.peerId, limit: 1000 })).filter(m => m.text === text).length

  /** Sends `text` from the open conversation; the node stores it, and its answer is lost. Resolves with what was posted. */
  const sendAnswerLost = async (text: string): Promise<SendBody> => {
    const { route, release } = await sendHeld(text)
    const body = route.request().postDataJSON() as SendBody
    assert.equal((await route.fetch()).status(), 201)
    await route.abort('connectionreset')
    await release()
    await a.getByRole('alert').filter({ hasText: 'Not sent' }).waitFor()
    return body
  }

  /** Presses Enter in the box; resolves with what it posts. */
  const pressSend = async (): Promise<SendBody> => {
    const posted = a.waitForRequest(request => request.url().endsWith('/api/v1/messages') && request.method() === 'POST')
    await composer().press('Enter')
    return (await posted).postDataJSON() as SendBody
  }

  /** Presses Enter in the box and resolves with the POST it makes, once the message is there once. `stored`: its text as the node holds it (a mention is a token). */
  const retry = async (text: string, stored = text): Promise<SendBody> => {
    const body = await pressSend()
    await a.getByRole('alert').filter({ hasText: 'Not sent' }).waitFor({ state: 'detached' })
    await waitUntil(async () => (await alice.node.status()).queued === 0, 'Alice\'s outbox to drain')
    assert.deepEqual([await held(alice, bruno, stored), await held(bruno, alice, stored), await a.locator('[data-message-id]', { hasText: text }).count()], [1, 1, 1])
    return body
  }

  /** Sends `text` from the open conversation (typed there unless the box holds it); its POST is held until the test answers it. */
  const sendHeld = async (text: string): Promise<{ route: Route, release: () => Promise<void> }> => {
    const send = await holdNextSend(a)
    if (await composer().inputValue() !== text) await composer().fill(text)
    await composer().press('Enter')
    return { route: await send.routed, release: send.release }
  }

  before(async () => {
    [alice, bruno, carol] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit', 'Carol Dubois'])
    browser = await launchProfile()
    a = await browser.context.newPage()
    await a.goto(alice.appLink)
    await a.getByRole('heading', { name: 'Hello, Alice Martin' }).waitFor()
  })

  after(async () => {
    await browser?.close()
    await alice?.close()
    await bruno?.close()
    await carol?.close()
  })

  it('a reload while the node answers a send: the newer draft stays, the sent text is not offered again', async () => {
    await open(bruno)
    const { route, release } = await sendHeld('Sent before the reload.')
    // The node accepts it; its answer waits until the reload has cut the request short.
    const answer = await route.fetch()
    assert.equal(answer.status(), 201)
    await composer().fill('a draft typed since')
    await a.reload()
    await a.locator('[data-message-id]', { hasText: 'Sent before the reload.' }).waitFor()
    assert.equal(await composer().inputValue(), 'a draft typed since')
    await release()
  })

  it('a reload while the node answers a send, nothing typed since: the box stays empty', async () => {
    await composer().fill('')
    const { route, release } = await sendHeld('Sent once only.')
    await route.fetch()
    await a.reload()
    await a.locator('[data-message-id]', { hasText: 'Sent once only.' }).waitFor()
    assert.equal(await composer().inputValue(), '', 'a message the node accepted is not offered again as unsent')
    await release()
  })

  it('a refused send with a newer draft typed: the newer text stays, the refusal names what was not sent', async () => {
    const { route, release } = await sendHeld('The first words.')
    await composer().fill('Newer words.')
    await route.fulfill(BUSY)
    const alert = a.getByRole('alert').filter({ hasText: 'Not sent' })
    await alert.waitFor()
    assert.match(await alert.innerText(), /the node is busy[\s\S]*The first words\./)
    assert.equal(await composer().inputValue(), 'Newer words.')
    await assertAccessibleInBothThemes(a, 'a refused send beside a newer draft')
    await a.setViewportSize({ width: 390, height: 800 })
    assert.deepEqual(await overflowingElements(a), [])
    await screenshot(a, 'composer-send-refused-phone')
    await a.setViewportSize({ width: 1280, height: 800 })
    // Put back on demand, above what was typed since; the told refusal goes with it.
    await alert.getByRole('button', { name: 'Put it back in the box' }).click()
    assert.equal(await composer().inputValue(), 'The first words.\nNewer words.')
    await alert.waitFor({ state: 'detached' })
    await release()
  })

  it('a refused send after moving to another conversation: its text goes back to its own conversation, and it says so there', async () => {
    await composer().fill('')
    const { route, release } = await sendHeld('For Bruno only.')
    await open(carol)
    await route.fulfill(BUSY)
    // The refusal is Bruno's conversation's: Carol's has neither the text nor the alert.
    await waitUntil(async () => await a.evaluate(() => (localStorage.getItem('causette.drafts') ?? '').includes('For Bruno only.')), 'the text kept as a draft')
    assert.equal(await composer().inputValue(), '')
    assert.equal(await a.getByRole('alert').filter({ hasText: 'Not sent' }).count(), 0)
    await open(bruno)
    assert.equal(await composer().inputValue(), 'For Bruno only.')
    await a.getByRole('alert').filter({ hasText: /Not sent: the node is busy/ }).waitFor()
    await release()
  })

  it('a send whose answer was lost (the node stored it, then stopped): sent again unchanged, it is there once', async () => {
    await open(bruno)
    await composer().fill('')
    const text = 'Stored before the node stopped.'
    const first = (await sendAnswerLost(text)).sendId
    assert.match(first ?? '', /^[A-Za-z0-9_-]{16,64}$/)
    assert.equal(await composer().inputValue(), text)
    assert.equal((await retry(text)).sendId, first)
  })

  it('a send whose answer was lost, then a reload: sent again unchanged, it is there once', async () => {
    await open(bruno)
    await composer().fill('')
    const text = 'Stored, then the page was reloaded.'
    const first = (await sendAnswerLost(text)).sendId
    await a.reload()
    await a.getByRole('heading', { name: bruno.name }).waitFor()
    assert.equal(await composer().inputValue(), text)
    assert.equal((await retry(text)).sendId, first)
  })

  it('a reply with a quote, a mention and an urgent tick whose answer was lost, then a reload (the colleague\'s focus over): all come back with the text, and sent again it is there once', async () => {
    await bruno.node.setPresence({ status: 'focus', forMinutes: 60 })
    try {
      await bruno.node.send(alice.node.peerId, 'Are the figures ready?')
      await open(bruno)
      await composer().fill('')
      const question = a.locator('[data-message-id]', { hasText: 'Are the figures ready?' })
      await question.hover()
      await question.getByRole('button', { name: /with a quote$/ }).click()
      await a.getByRole('checkbox', { name: 'Urgent' }).check()
      await a.getByRole('textbox', { name: /Why is it urgent/ }).fill('The client is waiting')
      await composer().pressSequentially('@Bru')
      await a.getByRole('option', { name: /Bruno Petit/ }).waitFor()
      await composer().press('Enter')
      await composer().pressSequentially('they are ready.')
      const text = '@Bruno Petit they are ready.'
      const first = await sendAnswerLost(text)
      assert.ok(first.quote !== undefined && first.urgent === 'The client is waiting' && first.text !== text, 'sent as a reply, urgent, with a mention')
      // His focus over meanwhile: the tick is offered still, as it was when the message was sent.
      await bruno.node.setPresence({ status: 'available' })
      await waitUntil(async () => !/focus/i.test(await a.locator('section.chat header .presence').innerText()), 'Bruno\'s focus over, on Alice\'s screen')

      await a.reload()
      await a.getByRole('heading', { name: bruno.name }).waitFor()
      assert.equal(await composer().inputValue(), text)
      await a.getByRole('status').filter({ hasText: 'Replying to Bruno Petit: Are the figures ready?' }).waitFor()
      await a.getByRole('status').filter({ hasText: 'This unsent message was urgent' }).waitFor()
      assert.equal(await a.getByRole('checkbox', { name: 'Urgent' }).isChecked(), true)
      assert.equal(await a.getByRole('textbox', { name: /Why is it urgent/ }).inputValue(), 'The client is waiting')
      await assertAccessibleInBothThemes(a, 'a failed urgent reply restored after a reload')
      await screenshot(a, 'composer-failed-reply-restored')
      assert.deepEqual(await retry(text, first.text), first, 'the same message, under the same sendId')
    } finally {
      await bruno.node.setPresence({ status: 'available' })
    }
  })

  /** Attaches `file` to the message in the open conversation, and waits until it is uploaded. */
  const attach = async (file: { name: string, mimeType: string, buffer: Buffer }): Promise<void> => {
    await a.locator('section.chat input[type=file]').setInputFiles(file)
    await a.getByRole('list', { name: 'Files to send' }).getByText('ready to send').waitFor()
  }
  const report = (version: string): { name: string, mimeType: string, buffer: Buffer } => ({ name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.from(`the figures, version ${version}\n`) })
  /** After a reload, what the box says of the file the reload lost. */
  const attachAgain = (): ReturnType<Page['getByRole']> => a.getByRole('status').filter({ hasText: 'Files to attach again: report.txt' })

  /** A send of `text` with `file` whose answer was lost, then a reload: resolves with what was posted. */
  const lostWithFile = async (text: string, file: { name: string, mimeType: string, buffer: Buffer }): Promise<SendBody> => {
    await open(bruno)
    await composer().fill('')
    await attach(file)
    const first = await sendAnswerLost(text)
    await a.reload()
    await a.getByRole('heading', { name: bruno.name }).waitFor()
    assert.equal(await composer().inputValue(), text)
    await attachAgain().waitFor()
    return first
  }

  it('a send with a file whose answer was lost, then a reload: the box asks for the file by name; attached again, the send is there once', async () => {
    const text = 'Here is the report.'
    const first = await lostWithFile(text, report('1'))
    await assertAccessibleInBothThemes(a, 'a failed send whose file must be attached again')
    await a.setViewportSize({ width: 390, height: 800 })
    assert.deepEqual(await overflowingElements(a), [])
    await screenshot(a, 'composer-file-to-attach-again-phone')
    await a.setViewportSize({ width: 1280, height: 800 })
    await attach(report('1'))
    await attachAgain().waitFor({ state: 'detached' })
    const again = await retry(text)
    assert.equal(again.sendId, first.sendId, 'the same message: the node answers the one it stored')
    assert.equal(await held(bruno, alice, text), 1)
  })

  it('a send with a file whose answer was lost, then a reload: sent without the file, it is a new message', async () => {
    const text = 'The report, or not.'
    const first = await lostWithFile(text, report('2'))
    const again = await pressSend()
    assert.notEqual(again.sendId, first.sendId, 'another message than the one stored: not its sendId')
    assert.equal(again.attachments, undefined)
    await waitUntil(async () => await held(bruno, alice, text) === 2, 'Bruno to hold the first with its file and this one without')
    await attachAgain().waitFor({ state: 'detached' })
  })

  it('a send with a file whose answer was lost, then a reload: another file of that name attached is told apart, in words, then sent as a new message', async () => {
    const text = 'The report, revised.'
    const first = await lostWithFile(text, report('3'))
    await attach(report('4')) // the same name, type and size, other bytes
    assert.equal((await pressSend()).sendId, first.sendId)
    const told = a.getByRole('alert').filter({ hasText: 'an earlier try of this message was sent already' })
    await told.waitFor()
    await screenshot(a, 'composer-send-id-reused')
    assert.equal(await held(bruno, alice, text), 1, 'nothing sent twice')
    assert.equal(await composer().inputValue(), text)
    const again = await pressSend()
    assert.notEqual(again.sendId, first.sendId, 'sent again, it is a new message')
    await told.waitFor({ state: 'detached' })
    await waitUntil(async () => await held(bruno, alice, text) === 2, 'Bruno to hold both')
  })

  it('a send whose answer was lost, its text put back in the box: sent again unchanged, it is there once', async () => {
    await open(bruno)
    await composer().fill('')
    const text = 'Stored while a newer draft was typed.'
    const { route, release } = await sendHeld(text)
    const { sendId: first } = route.request().postDataJSON() as { sendId?: string }
    await composer().fill('a newer draft')
    assert.equal((await route.fetch()).status(), 201)
    await route.abort('connectionreset')
    await release()
    const alert = a.getByRole('alert').filter({ hasText: 'Not sent' })
    await alert.waitFor()
    // The newer draft given up, the unsent text alone goes back in the box.
    await composer().fill('')
    await alert.getByRole('button', { name: 'Put it back in the box' }).click()
    assert.equal(await composer().inputValue(), text)
    assert.equal((await retry(text)).sendId, first)
  })

  it('a failed send given up (its box emptied): the same words typed later are a new message', async () => {
    await open(bruno)
    await composer().fill('')
    const first = (await sendAnswerLost('OK, thanks.')).sendId
    await composer().fill('')
    await a.reload()
    await a.getByRole('heading', { name: bruno.name }).waitFor()
    await composer().fill('OK, thanks.')
    assert.notEqual((await pressSend()).sendId, first)
    await waitUntil(async () => await held(bruno, alice, 'OK, thanks.') === 2, 'Bruno to hold both')
  })

  it('a failed send edited before it is sent again is a new message: a new sendId', async () => {
    await open(bruno)
    await composer().fill('')
    const { route, release } = await sendHeld('Lunch at noon?')
    const first = route.request().postDataJSON() as { sendId?: string }
    await route.fulfill(BUSY)
    await release()
    await a.getByRole('alert').filter({ hasText: 'Not sent' }).waitFor()
    await composer().fill('Lunch at one?')
    assert.notEqual((await pressSend()).sendId, first.sendId)
    await a.locator('[data-message-id]', { hasText: 'Lunch at one?' }).waitFor()
  })

  it('an urgent message\'s tick and reason do not follow to another conversation', async () => {
    await bruno.node.setPresence({ status: 'focus', forMinutes: 60 })
    await carol.node.setPresence({ status: 'focus', forMinutes: 60 })
    try {
      await open(bruno)
      await composer().fill('')
      await a.getByRole('checkbox', { name: 'Urgent' }).check()
      await a.getByRole('textbox', { name: /Why is it urgent/ }).fill('The client is waiting')
      await open(carol)
      await a.getByText('Carol Dubois is in focus').waitFor()
      // Ticked for Bruno, it would send to Carol with his reason, breaking through her focus.
      assert.equal(await a.getByRole('checkbox', { name: 'Urgent' }).isChecked(), false)
      assert.equal(await a.getByRole('textbox', { name: /Why is it urgent/ }).count(), 0)
    } finally {
      await bruno.node.setPresence({ status: 'available' })
      await carol.node.setPresence({ status: 'available' })
    }
  })

  it('two tabs of the app keep each other\'s drafts', async () => {
    // A second tab, as a second double-click of causette opens: it read the drafts before the first typed.
    const other = await browser.context.newPage()
    try {
      await other.goto(`${alice.api.url}/#/chat/${carol.node.peerId}`)
      await other.getByRole('heading', { name: carol.name }).waitFor()
      await open(bruno)
      await composer().fill('typed in the first tab')
      await other.getByRole('textbox', { name: 'Message' }).fill('typed in the second tab')
      await a.reload()
      await a.getByRole('heading', { name: bruno.name }).waitFor()
      assert.equal(await composer().inputValue(), 'typed in the first tab')
      // And a tab shows what another typed in the same conversation, rather than write over it later.
      await other.goto(`${alice.api.url}/#/chat/${bruno.node.peerId}`)
      await other.getByRole('heading', { name: bruno.name }).waitFor()
      assert.equal(await other.getByRole('textbox', { name: 'Message' }).inputValue(), 'typed in the first tab')
      await other.getByRole('textbox', { name: 'Message' }).fill('')
      await composer().fill('')
    } finally {
      await other.close()
    }
  })

  it('a quote chosen in one thread is not sent in the next thread opened', async () => {
    const { id: channel } = await alice.node.createChannel('project-atlas', '')
    const first = await alice.node.sendToChannel(channel, 'First topic.')
    const second = await alice.node.sendToChannel(channel, 'Second topic.')
    await alice.node.sendToChannel(channel, 'A reply in the first thread.', { replyTo: first.id })
    const thread = a.locator('section.thread')
    await a.goto(`${alice.api.url}/#/channel/${channel}/thread/${first.id}`)
    const reply = thread.locator('[data-message-id]', { hasText: 'A reply in the first thread.' })
    await reply.hover()
    await reply.getByRole('button', { name: /with a quote$/ }).click()
    await thread.getByText('Replying to').waitFor()
    await a.goto(`${alice.api.url}/#/channel/${channel}/thread/${second.id}`)
    await thread.getByText('No replies yet').waitFor()
    assert.equal(await thread.getByText('Replying to').count(), 0, 'the first thread\'s quote is not offered in the second')
  })
})
