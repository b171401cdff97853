// The profile's master key on disk (`master-key.json`, mode 0600). Without a passphrase the file
// holds the key itself; with one, only the key wrapped by Argon2id of the passphrase, with the salt
// and limits needed to derive it again. Changing or removing the passphrase rewrites this file alone
// (atomically): the master key, hence the keystore and the database, stay as they are.
import { join } from 'node:path'
import { AtRestError, checkPassphraseParams, newPassphraseParams, passphraseKey, unwrapMasterKey, wrapMasterKey, type PassphraseParams, type PassphraseStrength } from '../../crypto/at-rest.js'
import { parseBase64, toBase64 } from '../../crypto/encoding.js'
import { ProfileError } from '../errors.js'
import { readJsonFile, writeSecretFile } from './files.js'

export const MASTER_KEY_FILE = 'master-key.json'

/**
 * Argon2id limits for a new passphrase: libsodium's MODERATE (3 passes, 256 MiB; 0.44 s here).
 * The node derives it once per start, so most of a second is affordable, and it makes each guess of
 * someone holding a copy of the disk four times dearer than INTERACTIVE (64 MiB).
 */
export const PASSPHRASE_STRENGTH: PassphraseStrength = 'moderate'

/** Asked only when the profile has a passphrase (a TTY prompt, an environment variable, stdin). */
export type PassphraseSource = () => Promise<string>

interface PlainFile { version: 1, key: string }
interface WrappedFile {
  version: 1
  passphrase: { alg: 'argon2id13', opslimit: number, memlimit: number, salt: string }
  wrapped: string
}
type MasterKeyFile = PlainFile | WrappedFile

export type MasterKeyState = { kind: 'none' } | { kind: 'plain', key: Uint8Array } | { kind: 'wrapped', params: PassphraseParams, wrapped: Uint8Array }

function corrupt (what: string, cause?: unknown): ProfileError {
  return new ProfileError('PROFILE_CORRUPT', `${MASTER_KEY_FILE} in this profile is unreadable (${what}); restore it from a backup`, { cause })
}

/** What the profile holds: no master key yet, a plain one, or one wrapped by a passphrase. */
export async function readMasterKeyState (home: string): Promise<MasterKeyState> {
  let file: MasterKeyFile | undefined
  try {
    file = await readJsonFile<MasterKeyFile>(join(home, MASTER_KEY_FILE))
  } catch (error) {
    throw corrupt('not JSON', error)
  }
  if (file === undefined) return { kind: 'none' }
  if (typeof file !== 'object' || file === null || file.version !== 1) throw corrupt('unknown version')
  if ('key' in file) {
    const key = typeof file.key === 'string' ? parseBase64(file.key, 32) : undefined
    if (key === undefined) throw corrupt('bad key')
    return { kind: 'plain', key }
  }
  const p = (file as Partial<WrappedFile>).passphrase
  const salt = typeof p?.salt === 'string' ? parseBase64(p.salt) : undefined
  const wrapped = typeof (file as Partial<WrappedFile>).wrapped === 'string' ? parseBase64((file as WrappedFile).wrapped) : undefined
  if (p === undefined || salt === undefined || wrapped === undefined) throw corrupt('bad wrapped key')
  const params: PassphraseParams = { alg: p.alg, opslimit: p.opslimit, memlimit: p.memlimit, salt }
  try {
    checkPassphraseParams(params)
  } catch (error) {
    throw corrupt('bad passphrase parameters', error)
  }
  return { kind: 'wrapped', params, wrapped }
}

/** The master key: read as is, or unwrapped with the passphrase that `passphrase` gives. */
export async function unlockMasterKey (state: MasterKeyState & { kind: 'plain' | 'wrapped' }, passphrase?: PassphraseSource): Promise<Uint8Array> {
  if (state.kind === 'plain') return state.key
  if (passphrase === undefined) throw new ProfileError('PASSPHRASE_REQUIRED', 'this profile is protected by a passphrase: type it, or set CAUSETTE_PASSPHRASE')
  const key = await derive(await passphrase(), state.params)
  try {
    return unwrapMasterKey(state.wrapped, key, state.params)
  } catch (error) {
    if (error instanceof AtRestError) throw new ProfileError('PASSPHRASE_WRONG', 'wrong passphrase for this profile', { cause: error })
    throw error
  }
}

/** Argon2id of the passphrase (crypto/at-rest.ts: on libuv's thread pool, its memory freed after). */
async function derive (passphrase: string, params: PassphraseParams): Promise<Uint8Array> {
  if (passphrase.length === 0) throw new ProfileError('PASSPHRASE_BAD', 'the passphrase is empty')
  return await passphraseKey(passphrase, params)
}

export async function writePlainMasterKey (home: string, key: Uint8Array): Promise<void> {
  const file: PlainFile = { version: 1, key: toBase64(key) }
  await writeSecretFile(join(home, MASTER_KEY_FILE), JSON.stringify(file, null, 2) + '\n')
}

export async function writeWrappedMasterKey (home: string, key: Uint8Array, passphrase: string, strength: PassphraseStrength = PASSPHRASE_STRENGTH): Promise<void> {
  const params = newPassphraseParams(strength)
  const wrapped = wrapMasterKey(key, await derive(passphrase, params), params)
  const file: WrappedFile = {
    version: 1,
    passphrase: { alg: params.alg, opslimit: params.opslimit, memlimit: params.memlimit, salt: toBase64(params.salt) },
    wrapped: toBase64(wrapped)
  }
  await writeSecretFile(join(home, MASTER_KEY_FILE), JSON.stringify(file, null, 2) + '\n')
}
