import assert from 'node:assert/strict'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { PREKEY_GRACE_MS, PREKEY_ROTATION_MS } from '../../crypto/device-keys.js'
import { defaultColor, encodeDeviceRecord, signDeviceRecord, verifyDeviceRecord, type DeviceRecord } from '../../crypto/device-record.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'
import { loadSettings } from '../../core/profile/settings.js'
import { tempHome } from '../helpers/nodes.js'

test('first start creates the device keys in a 0600 file; later starts load the same keys', async (t) => {
  const home = await tempHome(t)
  const first = await loadOrCreateDeviceKeys(home)
  assert.equal(first.created, true)
  assert.equal((await stat(join(home, 'keys.json'))).mode & 0o777, 0o600)
  const again = await loadOrCreateDeviceKeys(home)
  assert.equal(again.created, false)
  assert.deepEqual(again.keys.device.publicKey, first.keys.device.publicKey)
  assert.deepEqual(again.keys.identity.publicKey, first.keys.identity.publicKey)
  assert.deepEqual(again.keys.prekey, first.keys.prekey)
  assert.equal(first.keys.device.publicKey.length, 32)
  assert.notDeepEqual(first.keys.identity.publicKey, first.keys.prekey.publicKey)
})

test('the signed prekey is rotated once a week old, keeping the device and identity keys', async (t) => {
  const home = await tempHome(t)
  const now = Date.now()
  const { keys } = await loadOrCreateDeviceKeys(home, now)
  const later = await loadOrCreateDeviceKeys(home, now + PREKEY_ROTATION_MS + 1)
  assert.equal(later.keys.prekey.id, keys.prekey.id + 1)
  assert.notDeepEqual(later.keys.prekey.publicKey, keys.prekey.publicKey)
  assert.deepEqual(later.keys.identity.publicKey, keys.identity.publicKey)
  assert.deepEqual(later.keys.device.publicKey, keys.device.publicKey)
  // The rotation was saved.
  const stored = JSON.parse(await readFile(join(home, 'keys.json'), 'utf8'))
  assert.equal(stored.prekey.id, keys.prekey.id + 1)
  // The replaced prekey still answers session starts sent before the rotation, for a while.
  assert.deepEqual(later.keys.previousPrekeys.map(p => p.id), [keys.prekey.id])
  const muchLater = await loadOrCreateDeviceKeys(home, now + 4 * PREKEY_ROTATION_MS)
  assert.deepEqual(muchLater.keys.previousPrekeys.map(p => p.id), [later.keys.prekey.id])
})

// Before, a prekey was kept by its creation date, three weeks: a desk back after a month away (or
// started with its clock a month ahead) dropped the prekey its colleagues still used as it replaced
// it, and every session start they had sealed to it meanwhile failed (E2E_UNKNOWN_PREKEY).
test('a prekey replaced late (a desk off for a month, a clock far ahead) still answers for two weeks from its replacement', async (t) => {
  const home = await tempHome(t)
  const now = Date.now()
  const { keys } = await loadOrCreateDeviceKeys(home, now)
  const month = 30 * 24 * 3600 * 1000
  const back = await loadOrCreateDeviceKeys(home, now + month)
  assert.deepEqual(back.keys.previousPrekeys.map(p => p.id), [keys.prekey.id], 'the prekey colleagues hold still answers')
  const stillWithin = await loadOrCreateDeviceKeys(home, now + month + PREKEY_GRACE_MS - 1)
  assert.ok(stillWithin.keys.previousPrekeys.some(p => p.id === keys.prekey.id), 'for two weeks after it was replaced')
  const past = await loadOrCreateDeviceKeys(home, now + month + PREKEY_ROTATION_MS + PREKEY_GRACE_MS)
  assert.ok(!past.keys.previousPrekeys.some(p => p.id === keys.prekey.id), 'and no longer')
})

test('a keystore of an unknown version is refused rather than misread', async (t) => {
  const home = await tempHome(t)
  await loadOrCreateDeviceKeys(home)
  const path = join(home, 'keys.json')
  await writeFile(path, JSON.stringify({ ...JSON.parse(await readFile(path, 'utf8')), version: 2 }))
  await assert.rejects(loadOrCreateDeviceKeys(home), /unsupported keystore version 2/)
})

test('the display name defaults to the OS user, is saved, and is validated', async (t) => {
  const home = await tempHome(t)
  const settings = await loadSettings(home)
  assert.ok(settings.name.length > 0)
  assert.equal((await loadSettings(home, { name: '  Zoé Martin ' })).name, 'Zoé Martin')
  assert.equal((await loadSettings(home)).name, 'Zoé Martin')
  assert.equal((await stat(join(home, 'settings.json'))).mode & 0o777, 0o600)
  await assert.rejects(loadSettings(home, { name: 'two\nlines' }), { code: 'BAD_REQUEST' })
  await assert.rejects(loadSettings(home, { name: 'x'.repeat(65) }), { code: 'BAD_REQUEST' })
})

test('device records are signed by the device key; any change breaks the signature', async (t) => {
  const { keys } = await loadOrCreateDeviceKeys(await tempHome(t))
  const record: DeviceRecord = {
    device: keys.device.publicKey,
    identityKey: keys.identity.publicKey,
    prekeyId: keys.prekey.id,
    prekey: keys.prekey.publicKey,
    name: 'Zoé',
    color: defaultColor(keys.device.publicKey),
    updated: 1_700_000_000_000
  }
  const { bytes, signature } = signDeviceRecord(ed25519Signer(keys.device.seed), record)
  assert.deepEqual(verifyDeviceRecord(bytes, signature), record)
  assert.ok(new TextDecoder().decode(bytes).startsWith('causette/device-record/v1\n'))
  for (let i = 0; i < bytes.length; i += 7) {
    const tampered = bytes.slice()
    tampered[i]! ^= 1
    assert.throws(() => verifyDeviceRecord(tampered, signature), { code: 'BAD_DEVICE_RECORD' })
  }
  assert.throws(() => encodeDeviceRecord({ ...record, name: 'bell\u0007' }), /name/)
  assert.throws(() => encodeDeviceRecord({ ...record, color: 'red' }), /color/)
})
