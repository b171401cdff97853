// Setting, changing and removing the passphrase of a stopped node's profile. The caller holds the
// profile's database lock meanwhile (a running node holds it too), so a node cannot start half way.
import type { PassphraseStrength } from '../../crypto/at-rest.js'
import { loadOrCreateDeviceKeys } from './keystore.js'
import { PASSPHRASE_STRENGTH, readMasterKeyState, writePlainMasterKey, writeWrappedMasterKey, type PassphraseSource } from './master-key.js'

export async function hasPassphrase (home: string): Promise<boolean> {
  return (await readMasterKeyState(home)).kind === 'wrapped'
}

/**
 * Wraps the profile's master key with `passphrase` (replacing an earlier one, which `current` must
 * give). A profile without keys yet gets them first; one from before the master key is sealed first.
 */
export async function setPassphrase (home: string, passphrase: string, current?: PassphraseSource, strength: PassphraseStrength = PASSPHRASE_STRENGTH): Promise<void> {
  const { masterKey } = await loadOrCreateDeviceKeys(home, Date.now(), current)
  await writeWrappedMasterKey(home, masterKey, passphrase, strength)
}

/** Stores the master key unwrapped again (0600 file); `current` gives the passphrase. */
export async function removePassphrase (home: string, current?: PassphraseSource): Promise<void> {
  const { masterKey } = await loadOrCreateDeviceKeys(home, Date.now(), current)
  await writePlainMasterKey(home, masterKey)
}
