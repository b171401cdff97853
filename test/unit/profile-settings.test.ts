// The display name's origin: a suggestion from the OS account until the user chooses one (issue 14
// item 2). The app asks for a name first while `nameChosen` is false.
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadSettings, saveSettings, SETTINGS_FILE } from '../../core/profile/settings.js'
import { tempHome, testNode } from '../helpers/nodes.js'

test('a new profile suggests a name and says it was not chosen', async (t) => {
  const home = await tempHome(t)
  const settings = await loadSettings(home)
  assert.equal(settings.nameChosen, false)
  assert.equal((await loadSettings(home)).nameChosen, false, 'still a suggestion after a restart')
})

test('a name given with --name, or saved as chosen, is chosen', async (t) => {
  const home = await tempHome(t)
  assert.equal((await loadSettings(home, { name: 'Chloé' })).nameChosen, true)
  await saveSettings(home, { name: 'Chloé', nameChosen: true, readReceipts: true, notificationSound: true, fileLimitBytes: 1024 })
  assert.equal((await loadSettings(home)).nameChosen, true)
})

test('a settings file from before nameChosen: the OS account name is a suggestion, another name was chosen', async (t) => {
  const home = await tempHome(t)
  const account = userInfo().username
  await writeFile(join(home, SETTINGS_FILE), JSON.stringify({ name: account, readReceipts: true }))
  assert.equal((await loadSettings(home)).nameChosen, false)
  await writeFile(join(home, SETTINGS_FILE), JSON.stringify({ name: `${account} Martin`, readReceipts: true }))
  assert.equal((await loadSettings(home)).nameChosen, true)
})

test("the node's status says whether the name was chosen, its journal key and whether a passphrase is set", async (t) => {
  const home = await tempHome(t)
  const node = await testNode(t, { home })
  const before = await node.status()
  assert.equal(before.nameChosen, false)
  assert.equal(before.passphrase, false)
  assert.match(before.journalKey, new RegExp(`^causette/journal/v1/${before.peerId}\\+[0-9a-f]{8}\\+`))
  await node.setName('Bruno Martin')
  const after = await node.status()
  assert.equal(after.name, 'Bruno Martin')
  assert.equal(after.nameChosen, true)
})
