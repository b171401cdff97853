// The device keys on disk: `keys.json` in the profile, mode 0600, created on first start. The
// signed prekey is rotated weekly when the node starts. (Wrapping by a master key and passphrase
// comes with the workspace issue.)
import { join } from 'node:path'
import { deviceKeysFromJson, deviceKeysToJson, generateDeviceKeys, rotatePrekeyIfDue, type DeviceKeys, type DeviceKeysJson } from '../../crypto/device-keys.js'
import { loadSodium } from '../../crypto/sodium.js'
import { readJsonFile, writeSecretFile } from './files.js'

export async function loadOrCreateDeviceKeys (home: string, now = Date.now()): Promise<{ keys: DeviceKeys, created: boolean }> {
  const sodium = await loadSodium()
  const path = join(home, 'keys.json')
  const stored = await readJsonFile<DeviceKeysJson>(path)
  const keys = stored === undefined ? generateDeviceKeys(sodium, now) : rotatePrekeyIfDue(sodium, deviceKeysFromJson(sodium, stored), now)
  if (stored === undefined || keys.prekey.id !== stored.prekey.id) {
    await writeSecretFile(path, JSON.stringify(deviceKeysToJson(keys), null, 2) + '\n')
  }
  return { keys, created: stored === undefined }
}
