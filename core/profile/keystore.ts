// The device keys on disk: `keys.json` in the profile, mode 0600, created on first start and sealed
// by a subkey of the profile's master key (master-key.ts; DESIGN.md §2). The signed prekey is rotated
// weekly when the node starts. A keystore of before the master key (plain JSON, version 1) is sealed
// the first time it is opened.
import { join } from 'node:path'
import { AT_REST_LABELS, deriveSubkey, newMasterKey, valueSealer } from '../../crypto/at-rest.js'
import { deviceKeysFromJson, deviceKeysToJson, generateDeviceKeys, rotatePrekeyIfDue, type DeviceKeys, type DeviceKeysJson } from '../../crypto/device-keys.js'
import { fromUtf8, parseBase64, toBase64, utf8 } from '../../crypto/encoding.js'
import { ProfileError } from '../errors.js'
import { readJsonFile, writeSecretFile } from './files.js'
import { readMasterKeyState, unlockMasterKey, writePlainMasterKey, type PassphraseSource } from './master-key.js'

export const KEYSTORE_FILE = 'keys.json'

/**
 * The sealed keystore file: the version-1 JSON of the device keys, sealed. The current prekey's id and
 * date stay readable (they are public: the device record carries them) and are bound to the sealed
 * box as associated data, so neither can be changed alone.
 */
interface SealedKeystore { version: 1, prekey: { id: number, createdAt: number }, sealed: string }

const isSealed = (stored: DeviceKeysJson | SealedKeystore | undefined): stored is SealedKeystore => stored !== undefined && 'sealed' in stored

export interface ProfileKeys {
  keys: DeviceKeys
  /** True when this call generated the device keys. */
  created: boolean
  /** The profile's master key: the database's values are sealed by a key derived from it. */
  masterKey: Uint8Array
}

/**
 * Unlocks the profile (asking `passphrase` only if it has one) and loads its device keys, creating
 * the master key and the keys on first start. Nothing is written before the master key is unlocked,
 * so a wrong passphrase leaves the profile as it was.
 */
export async function loadOrCreateDeviceKeys (home: string, now = Date.now(), passphrase?: PassphraseSource): Promise<ProfileKeys> {
  const path = join(home, KEYSTORE_FILE)
  const stored = await readKeystoreFile(path)
  const state = await readMasterKeyState(home)
  let masterKey: Uint8Array
  if (state.kind === 'none') {
    if (isSealed(stored)) throw new ProfileError('PROFILE_CORRUPT', `${KEYSTORE_FILE} is sealed but the profile has no master key; restore it from a backup`)
    masterKey = newMasterKey()
    await writePlainMasterKey(home, masterKey)
  } else {
    masterKey = await unlockMasterKey(state, passphrase)
  }
  const json = stored === undefined ? undefined : isSealed(stored) ? openKeystore(masterKey, stored) : stored
  const keys = json === undefined ? generateDeviceKeys(now) : rotatePrekeyIfDue(parseKeys(json), now)
  if (json === undefined || !isSealed(stored) || keys.prekey.id !== json.prekey.id) {
    await saveDeviceKeys(home, masterKey, keys)
  }
  return { keys, created: json === undefined, masterKey }
}

/** The device keys as stored, without creating or rotating anything (`causette doctor`); undefined when none. */
export async function readDeviceKeys (home: string, masterKey: Uint8Array): Promise<DeviceKeys | undefined> {
  const stored = await readKeystoreFile(join(home, KEYSTORE_FILE))
  if (stored === undefined) return undefined
  return parseKeys(isSealed(stored) ? openKeystore(masterKey, stored) : stored)
}

async function readKeystoreFile (path: string): Promise<DeviceKeysJson | SealedKeystore | undefined> {
  try {
    return await readJsonFile<DeviceKeysJson | SealedKeystore>(path)
  } catch (error) {
    if (error instanceof SyntaxError) throw new ProfileError('PROFILE_CORRUPT', `${KEYSTORE_FILE} in this profile is not JSON`, { cause: error })
    throw error
  }
}

function parseKeys (json: DeviceKeysJson): DeviceKeys {
  if (json.version !== 1) throw new ProfileError('PROFILE_CORRUPT', `unsupported keystore version ${String(json.version)}`)
  try {
    return deviceKeysFromJson(json)
  } catch (error) {
    throw new ProfileError('PROFILE_CORRUPT', `${KEYSTORE_FILE} in this profile is unreadable (bad keys)`, { cause: error })
  }
}

/** Writes `keys` sealed by `masterKey` (atomically, 0600). For the node, and for tests that swap keys. */
export async function saveDeviceKeys (home: string, masterKey: Uint8Array, keys: DeviceKeys): Promise<void> {
  const prekey = { id: keys.prekey.id, createdAt: keys.prekey.createdAt }
  const box = keystoreSealer(masterKey, prekey).seal(utf8(JSON.stringify(deviceKeysToJson(keys))))
  const file: SealedKeystore = { version: 1, prekey, sealed: toBase64(box) }
  await writeSecretFile(join(home, KEYSTORE_FILE), JSON.stringify(file, null, 2) + '\n')
}

function keystoreSealer (masterKey: Uint8Array, prekey: SealedKeystore['prekey']): ReturnType<typeof valueSealer> {
  // The readable header, in a fixed form, is part of the associated data.
  return valueSealer(deriveSubkey(masterKey, 'keystore'), `${AT_REST_LABELS.keystore}\nprekey ${Number(prekey?.id)} ${Number(prekey?.createdAt)}`)
}

function openKeystore (masterKey: Uint8Array, stored: SealedKeystore): DeviceKeysJson {
  if (stored.version !== 1) throw new ProfileError('PROFILE_CORRUPT', `unsupported keystore version ${String(stored.version)}`)
  const box = typeof stored.sealed === 'string' ? parseBase64(stored.sealed) : undefined
  if (box === undefined) throw new ProfileError('PROFILE_CORRUPT', `${KEYSTORE_FILE} in this profile is unreadable (bad sealed keystore)`)
  try {
    const json = JSON.parse(fromUtf8(keystoreSealer(masterKey, stored.prekey).open(box))) as DeviceKeysJson
    if (json.prekey.id !== stored.prekey.id || json.prekey.createdAt !== stored.prekey.createdAt) throw new Error('header does not match')
    return json
  } catch (error) {
    throw new ProfileError('PROFILE_CORRUPT', `${KEYSTORE_FILE} in this profile does not open with its master key (modified or replaced)`, { cause: error })
  }
}
