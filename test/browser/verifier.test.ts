// Traceability in the browser: a conversation's journal exported from its menu (a real download
// from a real daemon), then checked on the verifier page with libsodium, offline, with the same
// verdict as the Node verifier behind `causette log verify`: a real export is valid, a tampered one
// is not, for the same reason.
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { screenshot } from '../helpers/browser.js'
import { contrastFailures } from '../helpers/browser-contrast.js'
import { assertAccessible } from '../helpers/browser-axe.js'
import { waitUntil } from '../helpers/browser-daemons.js'
import { pairWithBrowser } from '../helpers/browser-session.js'

async function nodeVerdict (text: string): Promise<string> {
  try {
    await verifyExport(text.split('\n').filter(line => line !== ''), nodeLogPrimitives)
    return 'valid'
  } catch (error) {
    return (error as Error).message
  }
}

/** Edits the first message entry the way a forger would: one digit of its stored bytes changed, re-encoded. */
function tamper (text: string): string {
  const lines = text.split('\n')
  const at = lines.findIndex(line => line.startsWith('entry '))
  const fields = lines[at]!.split(' ')
  const leaf = Buffer.from(fields.at(-1)!, 'base64').toString('latin1')
  const digit = leaf.search(/[0-8]/)
  fields[fields.length - 1] = Buffer.from(leaf.slice(0, digit) + String(Number(leaf[digit]) + 1) + leaf.slice(digit + 1), 'latin1').toString('base64')
  lines[at] = fields.join(' ')
  return lines.join('\n')
}

describe('journal export and verifier page', () => {
  const session = pairWithBrowser(async (alice, bruno) => {
    async function * contract (): AsyncIterable<Uint8Array> { yield new TextEncoder().encode('%PDF-1.4 contract') }
    const staged = await alice.node.stageFile({ name: 'Contract.pdf', type: 'application/pdf', content: contract() })
    const message = await alice.node.send(bruno.node.peerId, 'Contract signed, see you Monday.', { attachments: [{ file: staged.id }] })
    await bruno.node.send(alice.node.peerId, 'Great news, thank you!')
    await waitUntil(async () => (await alice.node.messages({ with: bruno.node.peerId, limit: 10 }))
      .some(m => m.id === message.id && m.state === 'delivered'), 'delivery')
  })
  const files: Record<string, string> = {}

  for (const [label, redacted] of [['with messages', false], ['without message bodies', true]] as const) {
    it(`exports the conversation's journal ${label} from its menu as a file download`, async () => {
      const { page } = session
      await page.getByRole('link', { name: /^Bruno Petit/ }).click()
      await page.getByRole('button', { name: 'Conversation menu' }).click()
      await screenshot(page, 'chat-menu')
      assert.deepEqual(await contrastFailures(page), [])
    assert.deepEqual(await contrastFailures(page), [])
      const download = page.waitForEvent('download')
      if (redacted) {
        // With the keyboard: the menu opens on its first item; End goes to the last one (this export), then Enter.
        await page.keyboard.press('End')
        await page.keyboard.press('Enter')
      } else {
        await page.getByRole('menuitem', { name: `Export journal ${label}` }).click()
      }
      assert.match((await download).suggestedFilename(), /^causette-journal-bruno-petit-\d{4}-\d{2}-\d{2}\.txt$/, 'the file name says whose conversation it is')
      const file = await (await download).path()
      const text = await readFile(file, 'utf8')
      assert.match(text, /^causette-journal-export 1\n/)
      assert.equal(text.includes('Contract signed'), false, 'bodies are base64 in the file, never plain')
      assert.equal(await nodeVerdict(text), 'valid')
      files[redacted ? 'redacted' : 'full'] = file
    })
  }

  it('accepts a real export on the verifier page, like the Node verifier', async () => {
    const { page } = session
    await page.getByRole('link', { name: 'Verifier' }).click()
    await page.getByLabel('Choose a file…').setInputFiles(files.full!)
    await page.locator('[data-verdict="valid"]').waitFor()
    assert.match(await page.locator('[data-verdict]').innerText(), /Valid: this journal is intact/)
    assert.match(await page.locator('[data-verdict]').innerText(), /2 disclosed and matching their signed hashes/)
    await screenshot(page, 'verifier-valid')
    assert.deepEqual(await contrastFailures(page), [])
    await page.getByLabel('Choose a file…').setInputFiles(files.redacted!)
    await page.getByText(/0 disclosed and matching their signed hashes, 2 withheld/).waitFor()
  })

  it('rejects a tampered export with the same reason as the Node verifier', async () => {
    const { page } = session
    const tampered = tamper(await readFile(files.full!, 'utf8'))
    const expected = await nodeVerdict(tampered)
    assert.notEqual(expected, 'valid')
    const path = files.full! + '.tampered.txt'
    await writeFile(path, tampered)
    await page.getByLabel('Choose a file…').setInputFiles(path)
    await page.locator('[data-verdict="invalid"]').waitFor()
    assert.equal(await page.locator('[data-verdict] .reason').innerText(), expected)
    await screenshot(page, 'verifier-tampered')
    assert.deepEqual(await contrastFailures(page), [])
  })

  it('lists the verified messages with their author, time and text', async () => {
    const { page } = session
    await page.getByLabel('Choose a file…').setInputFiles(files.full!)
    await page.locator('[data-verdict="valid"]').waitFor()
    const list = page.getByRole('region', { name: /^Verified messages/ })
    const items = await list.locator('li[data-entry]').allInnerTexts()
    assert.equal(items.length, 2)
    assert.match(items[0]!, /^Alice Martin\s+\d\d:\d\d(?: [AP]M)? on \d{1,2} \w{3}\s+Contract signed, see you Monday\.\s+Contract\.pdf 17\u00a0bytes, application\/pdf, SHA-256 [0-9a-f]{64}$/)
    // A message's files are lines of it, not messages: no rule under each, as between messages.
    assert.deepEqual(await list.getByRole('list', { name: 'Files' }).getByRole('listitem').evaluateAll(lines => lines.map(line => getComputedStyle(line).borderBottomStyle)), ['none'])
    await assertAccessible(page, 'the verifier with its list of messages')
    assert.match(items[1]!, /^Bruno Petit\s+\d\d:\d\d(?: [AP]M)? on \d{1,2} \w{3}\s+Great news, thank you!$/)
    await page.getByLabel('Choose a file…').setInputFiles(files.redacted!)
    await page.getByText(/2 withheld/).waitFor()
    assert.deepEqual((await list.locator('li[data-entry]').allInnerTexts()).map(text => text.split('\n').at(-1)), ['Text withheld from this export', 'Text withheld from this export'])
  })

  it('names an altered message in plain words: whose, and when', async () => {
    const { page } = session
    // Bruno's message reworded in the file: its body (core/messaging/body.ts) no longer matches what he signed.
    const body = (text: string): string => Buffer.from(JSON.stringify({ text })).toString('base64')
    const original = await readFile(files.full!, 'utf8')
    assert.ok(original.includes(body('Great news, thank you!')), 'the export discloses the body')
    const altered = original.replace(body('Great news, thank you!'), body('Great news, no thanks!'))
    const path = files.full! + '.altered.txt'
    await writeFile(path, altered)
    await page.getByLabel('Choose a file…').setInputFiles(path)
    await page.locator('[data-verdict="invalid"]').waitFor()
    const words = await page.locator('[data-verdict] .words').innerText()
    assert.match(words, /^The message from Bruno Petit at \d\d:\d\d(?: [AP]M)? on \d{1,2} \w{3} was changed after it was recorded\.$/)
    assert.equal(await page.locator('[data-verdict] .reason').innerText(), await nodeVerdict(altered))
    await screenshot(page, 'verifier-altered')
    await assertAccessible(page, 'the verifier naming an altered message')
  })

  it("shows the user's own journal key, the one an auditor pins", async () => {
    const { alice, page } = session
    const key = (await alice.node.status()).journal.key
    assert.match(key, /^causette\/journal\/v1\//)
    const section = page.getByRole('region', { name: 'Your journal key' })
    assert.equal(await section.locator('code').innerText(), key)
  })

  it('checks a membership fork leaf like the Node verifier (docs/examples/cases: a valid fork, a dropped entry signed by another key)', async () => {
    const { page } = session
    const example = (name: string): string => fileURLToPath(new URL(`../../docs/examples/cases/${name}`, import.meta.url))
    await page.getByLabel('Choose a file…').setInputFiles(example('valid-membership-fork.txt'))
    await page.locator('[data-verdict="valid"]').waitFor()
    const forged = example('invalid-membership-fork-signed-by-another-key.txt')
    const expected = await nodeVerdict(await readFile(forged, 'utf8'))
    assert.match(expected, /^entry 5 \(line 10\): the membership entry's signature does not verify/)
    await page.getByLabel('Choose a file…').setInputFiles(forged)
    await page.locator('[data-verdict="invalid"]').waitFor()
    assert.equal(await page.locator('[data-verdict] .reason').innerText(), expected)
  })

  it('warns of a 1:1 message filed in a conversation not its own, and still calls the journal valid (docs/examples/cases)', async () => {
    const { page } = session
    const example = fileURLToPath(new URL('../../docs/examples/cases/valid-message-in-another-conversation-warned.txt', import.meta.url))
    await page.getByLabel('Choose a file…').setInputFiles(example)
    await page.locator('[data-verdict="valid"]').waitFor()
    const summary = await page.locator('[data-verdict="valid"] li').allInnerTexts()
    assert.ok(summary.includes('Warning: 1 1:1 message(s) filed in a conversation that is not between their author and recipient: the author signed a statement naming it, and a node that did not yet check this filed the message there:'), summary.join('\n'))
    assert.ok(summary.some(line => line.startsWith('entry 5 (line 12): a 1:1 message from 12D3KooWRndVhVZPCiQwHBBBdg769GyrPUW13zxwqQyf9r3ANaba to 12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5 ') && line.endsWith('is filed in conversation MmKKwTzErMM_gG1QrmykNg, not in theirs (7jLwSVX98a1zL_SGc2_DOg)')), summary.join('\n'))
    await page.getByText(/^entry 5 \(line 12\)/).scrollIntoViewIfNeeded()
    await screenshot(page, 'verifier-conversation-finding')
    assert.deepEqual(await contrastFailures(page), [])
  })
})
