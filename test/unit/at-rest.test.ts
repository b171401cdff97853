// Keys and content at rest: the sealed box, the passphrase wrapping of the master key, the sealed
// keystore, the migration of a profile from before the master key, and the sealed database values.
import assert from 'node:assert/strict'
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { AT_REST_LABELS, deriveSubkey, isSealed, newMasterKey, newPassphraseParams, open, passphraseKey, seal, unwrapMasterKey, valueSealer, wrapMasterKey } from '../../crypto/at-rest.js'
import { deviceKeysToJson, generateDeviceKeys } from '../../crypto/device-keys.js'
import { utf8 } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'
import { MASTER_KEY_FILE } from '../../core/profile/master-key.js'
import { hasPassphrase, removePassphrase, setPassphrase } from '../../core/profile/passphrase.js'
import { openDatabase } from '../../core/store/database.js'
import { valueEncryption } from '../../core/store/value-encryption.js'
import type { MessageRecord } from '../../core/store/records.js'
import { tempHome } from '../helpers/nodes.js'

const given = (text: string) => async () => text

function flips (bytes: Uint8Array): Uint8Array[] {
  // A copy, not a view: Buffer's slice() would share the bytes.
  return [...bytes.keys()].map(i => { const copy = Uint8Array.from(bytes); copy[i]! ^= 1; return copy })
}

test('a sealed box opens with its key and label only; any flipped byte is refused', () => {
  const key = randomBytes(32)
  const ad = utf8('causette/at-rest/test/v1')
  const box = seal(key, ad, utf8('hello at rest'))
  assert.ok(isSealed(box))
  assert.deepEqual(open(key, ad, box), utf8('hello at rest'))
  assert.notDeepEqual(seal(key, ad, utf8('hello at rest')), box, 'a fresh nonce each time')
  assert.throws(() => open(randomBytes(32), ad, box), { code: 'AT_REST_REFUSED' })
  assert.throws(() => open(key, utf8('causette/at-rest/other/v1'), box), { code: 'AT_REST_REFUSED' })
  for (const tampered of flips(box)) assert.throws(() => open(key, ad, tampered), /sealed box/)
  assert.throws(() => open(key, ad, box.subarray(0, 20)), { code: 'AT_REST_BAD_FORMAT' })
  // Subkeys differ per purpose, so a keystore key never opens a database value.
  const master = newMasterKey()
  assert.notDeepEqual(deriveSubkey(master, 'keystore'), deriveSubkey(master, 'database'))
  const messages = valueSealer(deriveSubkey(master, 'database'), AT_REST_LABELS.value('messages'))
  const contacts = valueSealer(deriveSubkey(master, 'database'), AT_REST_LABELS.value('contacts'))
  assert.throws(() => contacts.open(messages.seal(utf8('{}'))), { code: 'AT_REST_REFUSED' })
})

test('a master key wrapped by a passphrase round-trips; a wrong passphrase or other parameters are refused', async () => {
  const master = newMasterKey()
  const params = newPassphraseParams('min')
  const wrapped = wrapMasterKey(master, await passphraseKey('correct horse', params), params)
  assert.deepEqual(unwrapMasterKey(wrapped, await passphraseKey('correct horse', params), params), master)
  // The same passphrase typed in another Unicode normalisation form is the same passphrase.
  const accented = wrapMasterKey(master, await passphraseKey('café'.normalize('NFC'), params), params)
  assert.deepEqual(unwrapMasterKey(accented, await passphraseKey('café'.normalize('NFD'), params), params), master)
  const wrongKey = await passphraseKey('correct horsf', params)
  assert.throws(() => unwrapMasterKey(wrapped, wrongKey, params), { code: 'AT_REST_REFUSED' })
  const otherSalt = { ...params, salt: randomBytes(16) }
  const otherSaltKey = await passphraseKey('correct horse', otherSalt)
  assert.throws(() => unwrapMasterKey(wrapped, otherSaltKey, otherSalt), { code: 'AT_REST_REFUSED' })
  // The limits are bound to the wrapped key: a file that claims other limits does not open.
  const cheaper = { ...params, opslimit: params.opslimit + 1 }
  const rightKey = await passphraseKey('correct horse', params)
  assert.throws(() => unwrapMasterKey(wrapped, rightKey, cheaper), { code: 'AT_REST_REFUSED' })
  await assert.rejects(passphraseKey('x', { ...params, memlimit: 2 ** 40 }), { code: 'AT_REST_BAD_FORMAT' })
})

test('a new profile keeps its master key in a 0600 file and its keystore sealed; nothing secret in plain', async (t) => {
  const home = await tempHome(t)
  const { keys, masterKey, created } = await loadOrCreateDeviceKeys(home)
  assert.equal(created, true)
  for (const file of ['keys.json', MASTER_KEY_FILE]) assert.equal((await stat(join(home, file))).mode & 0o777, 0o600)
  const keystore = await readFile(join(home, 'keys.json'), 'utf8')
  for (const secret of [keys.device.seed, keys.identity.privateKey, keys.prekey.privateKey]) {
    assert.ok(!keystore.includes(Buffer.from(secret).toString('base64')))
  }
  const again = await loadOrCreateDeviceKeys(home)
  assert.deepEqual(again.masterKey, masterKey)
  assert.deepEqual(again.keys.device.seed, keys.device.seed)
})

test('a profile from before the master key (plain keys.json) is sealed on first open, keeping its keys', async (t) => {
  const home = await tempHome(t)
  const old = generateDeviceKeys()
  await writeFile(join(home, 'keys.json'), JSON.stringify(deviceKeysToJson(old)), { mode: 0o600 })
  const { keys, created } = await loadOrCreateDeviceKeys(home)
  assert.equal(created, false)
  assert.deepEqual(keys.device.seed, old.device.seed)
  assert.deepEqual(keys.identity.privateKey, old.identity.privateKey)
  const stored = JSON.parse(await readFile(join(home, 'keys.json'), 'utf8'))
  assert.equal(typeof stored.sealed, 'string')
  assert.equal(stored.deviceSeed, undefined)
  assert.deepEqual((await loadOrCreateDeviceKeys(home)).keys.prekey, keys.prekey)
})

test('with a passphrase: the right one opens, a wrong or missing one is refused with a stable code and changes nothing', async (t) => {
  const home = await tempHome(t)
  const { keys, masterKey } = await loadOrCreateDeviceKeys(home)
  await setPassphrase(home, 'correct horse', undefined, 'min')
  assert.equal(await hasPassphrase(home), true)
  const file = await readFile(join(home, MASTER_KEY_FILE), 'utf8')
  assert.ok(!file.includes(Buffer.from(masterKey).toString('base64')))
  const before = await snapshot(home)
  await assert.rejects(loadOrCreateDeviceKeys(home), { code: 'PASSPHRASE_REQUIRED' })
  await assert.rejects(loadOrCreateDeviceKeys(home, Date.now(), given('wrong horse')), { code: 'PASSPHRASE_WRONG' })
  await assert.rejects(loadOrCreateDeviceKeys(home, Date.now(), given('')), { code: 'PASSPHRASE_BAD' })
  assert.deepEqual(await snapshot(home), before, 'a refused start touches nothing')
  const opened = await loadOrCreateDeviceKeys(home, Date.now(), given('correct horse'))
  assert.deepEqual(opened.masterKey, masterKey)
  assert.deepEqual(opened.keys.device.seed, keys.device.seed)
  // Changing it needs the current one; removing it stores the same master key unwrapped again.
  await assert.rejects(setPassphrase(home, 'new one', given('nope'), 'min'), { code: 'PASSPHRASE_WRONG' })
  await setPassphrase(home, 'new one', given('correct horse'), 'min')
  await assert.rejects(loadOrCreateDeviceKeys(home, Date.now(), given('correct horse')), { code: 'PASSPHRASE_WRONG' })
  await removePassphrase(home, given('new one'))
  assert.equal(await hasPassphrase(home), false)
  assert.deepEqual((await loadOrCreateDeviceKeys(home)).masterKey, masterKey)
})

test('a flipped byte anywhere in master-key.json or keys.json is refused', async (t) => {
  const home = await tempHome(t)
  await loadOrCreateDeviceKeys(home)
  await setPassphrase(home, 'correct horse', undefined, 'min')
  for (const name of [MASTER_KEY_FILE, 'keys.json']) {
    const path = join(home, name)
    const original = await readFile(path)
    for (const [i, tampered] of flips(original).entries()) {
      await writeFile(path, tampered)
      await assert.rejects(loadOrCreateDeviceKeys(home, Date.now(), given('correct horse')),
        (error: { code?: string }) => error.code === 'PROFILE_CORRUPT' || error.code === 'PASSPHRASE_WRONG',
        `${name}: byte ${i} flipped`)
    }
    await writeFile(path, original)
  }
  await loadOrCreateDeviceKeys(home, Date.now(), given('correct horse'))
})

function message (id: string, text: string, time: number): MessageRecord {
  return { id, conversation: 'c', direction: 'out', author: 'me', peer: 'bob', text, salt: '', statement: '', signature: '', time, seq: 1, state: 'queued', stateTime: time, stateTimes: { queued: time }, verified: true }
}

test('content values are sealed in LevelDB; a database from before encryption is sealed on first open', async (t) => {
  const home = await tempHome(t)
  const encryption = valueEncryption(newMasterKey())
  // Written before encryption existed.
  let db = await openDatabase(home)
  await db.messages.put('c!1!m1', message('m1', 'plain-before-xyzzy', 1))
  await db.contacts.put('bob', { peerId: 'bob', name: 'Bob Plainname' } as never)
  await db.close()

  db = await openDatabase(home, encryption)
  await db.root.batch([
    { type: 'put', sublevel: db.messages, key: 'c!2!m2', value: message('m2', 'sealed-after-xyzzy', 2) },
    { type: 'put', sublevel: db.messageIndex, key: 'm2', value: 'c!2!m2' }
  ] as never)
  assert.deepEqual((await db.messages.values().all()).map(m => m.text), ['plain-before-xyzzy', 'sealed-after-xyzzy'])
  assert.equal((await db.contacts.get('bob'))?.name, 'Bob Plainname')
  await db.close()
  for (const text of ['xyzzy', 'Plainname']) assert.equal(await grepDir(join(home, 'db'), text), false, `"${text}" is not in the database files`)

  // Another master key opens nothing.
  db = await openDatabase(home, valueEncryption(newMasterKey()))
  t.after(async () => { await db.close() })
  await assert.rejects(db.messages.get('c!1!m1'))
})

test('cost of sealing a message record (figures)', async (t) => {
  const home = await tempHome(t)
  const n = 5000
  const record = message('x'.repeat(43), 'a typical message of a few words, '.repeat(4), 1)
  const figures: string[] = []
  for (const [label, encryption] of [['plain', undefined], ['sealed', valueEncryption(newMasterKey())]] as const) {
    const db = await openDatabase(join(home, label), encryption)
    const started = process.hrtime.bigint()
    for (let i = 0; i < n; i++) await db.messages.put(`c!${i}`, { ...record, time: i })
    const putUs = Number(process.hrtime.bigint() - started) / n / 1000
    const read = process.hrtime.bigint()
    assert.equal((await db.messages.values().all()).length, n)
    const readUs = Number(process.hrtime.bigint() - read) / n / 1000
    figures.push(`${label}: put ${putUs.toFixed(1)} µs, range read ${readUs.toFixed(1)} µs per record`)
    await db.close()
  }
  t.diagnostic(figures.join('; '))
})

async function snapshot (home: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const name of await readdir(home)) {
    const path = join(home, name)
    if ((await stat(path)).isFile()) files[name] = (await readFile(path)).toString('base64')
  }
  return files
}

async function grepDir (dir: string, text: string): Promise<boolean> {
  for (const name of await readdir(dir)) {
    const content = await readFile(join(dir, name))
    if (content.includes(Buffer.from(text))) return true
  }
  return false
}
