// A full disk, in the browser: Alice's profile lives on a real 16 MiB tmpfs that is filled until it
// refuses a single byte. Her message is refused with words she understands and stays in the box; a
// banner says her disk is full; once space is freed the banner goes by itself and the message goes.
// A damaged write-ahead log found at the next start gets a quieter notice naming `causette doctor`.
// Contrast checked in the light and dark themes; screenshots in test-artifacts/.
import assert from 'node:assert/strict'
import { open, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { contrastFailures } from '../helpers/browser-contrast.js'
import { screenshot } from '../helpers/browser.js'
import { buildUiOnce, startDaemon, waitUntil } from '../helpers/browser-daemons.js'
import { openApps } from '../helpers/browser-session.js'
import { mountSmallDisk } from '../helpers/small-disk.js'

// Larger than a tmpfs page: storing it needs a page the full disk does not have.
const bulky = (label: string): string => `${label} ${'0123456789abcdef'.repeat(400)}`
const banner = (page: Page, kind: string) => page.locator(`[data-banner="${kind}"]`)

/** Garbles a stretch of LevelDB's newest write-ahead log: its records fail their checksums at the next open. */
async function garbleNewestLog (home: string): Promise<void> {
  const logs = (await readdir(join(home, 'db'))).filter(name => name.endsWith('.log')).sort()
  const handle = await open(join(home, 'db', logs.at(-1)!), 'r+')
  try {
    await handle.write(Buffer.alloc(64, 0x5a), 0, 64, 200)
  } finally {
    await handle.close()
  }
}

test('browser app: a full disk is shown in words, and goes away once space is freed', async (t) => {
  const disk = await mountSmallDisk(t)
  const uiDir = await buildUiOnce()
  const bruno = await startDaemon({ name: 'Bruno Petit', uiDir })
  t.after(async () => { await bruno.close() })
  const alice = await startDaemon({ name: 'Alice Martin', uiDir, peers: [bruno.address], home: join(disk.path, 'home') })
  t.after(async () => { await alice.close() })
  const apps = await openApps([alice])
  t.after(async () => { await apps.close() })
  const a = apps.pages[0]!

  await a.getByRole('button', { name: 'Bruno Petit', exact: true }).click()
  const composer = a.getByRole('textbox', { name: 'Message' })
  const send = async (text: string): Promise<void> => {
    await composer.fill(text)
    await composer.press('Enter')
  }

  await disk.fill()
  await send(bulky('while full'))
  const refusal = a.getByRole('alert')
  await refusal.waitFor()
  assert.equal(await refusal.innerText(), 'Not sent: your disk is full, so causette cannot save this message. Free some space on this computer, then send it again.')
  assert.match(await composer.inputValue(), /^while full /, 'the message stays in the box')

  await banner(a, 'storage').waitFor()
  assert.equal(await banner(a, 'storage').innerText(), 'Your disk is full: causette cannot save new messages until space is freed. Nothing already saved is lost.')
  assert.deepEqual(await contrastFailures(a), [])
  await screenshot(a, 'storage-full-banner')
  await a.emulateMedia({ colorScheme: 'dark' })
  assert.deepEqual(await contrastFailures(a), [])
  await screenshot(a, 'storage-full-banner-dark')
  await a.emulateMedia({ colorScheme: 'light' })

  await disk.free()
  await banner(a, 'storage').waitFor({ state: 'detached', timeout: 90_000 })
  assert.equal((await alice.node.status()).storage.state, 'ok')
  await send(bulky('after space came back'))
  await a.locator('[data-message-id]', { hasText: 'after space came back' }).waitFor()
  await waitUntil(async () => (await bruno.node.conversations()).length === 1, 'Bruno to receive the message sent after space came back', 30_000)

  await alice.restart(async () => { await garbleNewestLog(join(disk.path, 'home')) })
  await a.reload()
  await banner(a, 'damage').waitFor()
  assert.match(await banner(a, 'damage').innerText(), /^Some saved data was found damaged when causette started.*causette doctor/)
  assert.deepEqual(await contrastFailures(a), [])
  await a.emulateMedia({ colorScheme: 'dark' })
  assert.deepEqual(await contrastFailures(a), [])
  await screenshot(a, 'storage-damage-notice-dark')
})
