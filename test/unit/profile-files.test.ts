// The profile's small files (settings.json, presence.json, api.json, the photo, the keys) are each
// written whole or not at all, whatever else is written beside them at the same moment.
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { writeSecretFile } from '../../core/profile/files.js'
import { tempHome } from '../helpers/nodes.js'

// Before, the temporary file was named by the millisecond and the process: two files of the profile
// saved in the same millisecond (the app saving settings while presence changes, api.json beside
// api-token at start) shared it, and one file got the other's content or the rename failed (ENOENT).
test('files of the profile saved at the same moment each get their own content', async (t) => {
  const home = await tempHome(t)
  const names = ['settings.json', 'presence.json', 'api.json', 'photo']
  for (let round = 0; round < 20; round++) {
    await Promise.all(names.map(async name => { await writeSecretFile(join(home, name), `${name} ${round} ${'x'.repeat(round * 1000)}`) }))
    for (const name of names) assert.equal(await readFile(join(home, name), 'utf8'), `${name} ${round} ${'x'.repeat(round * 1000)}`)
  }
  assert.deepEqual((await readdir(home)).sort(), [...names].sort(), 'no temporary file is left')
})
