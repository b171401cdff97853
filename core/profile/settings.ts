// The user's settings kept in the profile (`settings.json`): the display name (and whether the user
// chose it, or it is only the suggestion from the OS account), whether senders learn when their
// messages are read, whether a notification makes a sound, and the disk the profile's files may take.
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { isValidName } from '../../crypto/device-record.js'
import { CausetteError, ProfileError } from '../errors.js'
import { readJsonFile, writeSecretFile } from './files.js'

export interface Settings {
  name: string
  /** The user chose the name (the app, `causette name`, `start --name`); false while it is the suggestion. */
  nameChosen: boolean
  /** Send read receipts (default true): each user may turn them off. */
  readReceipts: boolean
  /** A short sound with each notification that interrupts (default true); the app plays it. */
  notificationSound: boolean
  /** Bytes the profile's files may take (core/files/attachment-store.ts): 5 GiB unless set. */
  fileLimitBytes: number
}

/** The default file limit (core/files/quota.ts has the same for a store opened without settings: test/unit/attachment-store.test.ts). */
export const DEFAULT_FILE_LIMIT_BYTES = 5 * 1024 ** 3

function isFileLimit (value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function defaultName (): string {
  try {
    const user = userInfo().username
    if (isValidName(user)) return user
  } catch { /* no passwd entry (containers): fall through */ }
  return 'causette user'
}

export function checkName (name: string): string {
  const trimmed = name.trim()
  if (!isValidName(trimmed)) throw new CausetteError('BAD_REQUEST', 'a name is 1 to 64 printable characters on one line')
  return trimmed
}

export const SETTINGS_FILE = 'settings.json'

/** The stored settings as written, undefined when there are none; a damaged file is named in the error. */
export async function readStoredSettings (home: string): Promise<Partial<Settings> | undefined> {
  const path = join(home, SETTINGS_FILE)
  let stored: unknown
  try {
    stored = await readJsonFile<unknown>(path)
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
    throw damagedSettings(path, `not JSON: ${error.message}`, error)
  }
  if (stored !== undefined && (typeof stored !== 'object' || stored === null || Array.isArray(stored))) throw damagedSettings(path, 'not a JSON object')
  return stored as Partial<Settings> | undefined
}

function damagedSettings (path: string, what: string, cause?: unknown): ProfileError {
  return new ProfileError('PROFILE_CORRUPT', `${path} is damaged (${what}): correct it, or delete it to start with the default settings (your display name, read receipts and notification sound); 'causette doctor' checks the whole profile`, { cause })
}

export async function loadSettings (home: string, override: { name?: string } = {}): Promise<Settings> {
  const stored = await readStoredSettings(home)
  const settings: Settings = {
    name: override.name !== undefined ? checkName(override.name) : stored?.name ?? defaultName(),
    nameChosen: override.name !== undefined || wasNameChosen(stored),
    readReceipts: typeof stored?.readReceipts === 'boolean' ? stored.readReceipts : true,
    notificationSound: typeof stored?.notificationSound === 'boolean' ? stored.notificationSound : true,
    fileLimitBytes: isFileLimit(stored?.fileLimitBytes) ? stored.fileLimitBytes : DEFAULT_FILE_LIMIT_BYTES
  }
  if (stored?.name !== settings.name || stored.nameChosen !== settings.nameChosen || stored.readReceipts !== settings.readReceipts || stored.notificationSound !== settings.notificationSound || stored.fileLimitBytes !== settings.fileLimitBytes) await saveSettings(home, settings)
  return settings
}

/** A file from before `nameChosen` holds a chosen name unless it is the OS account's. */
function wasNameChosen (stored: Partial<Settings> | undefined): boolean {
  if (typeof stored?.nameChosen === 'boolean') return stored.nameChosen
  return typeof stored?.name === 'string' && stored.name !== defaultName()
}

export async function saveSettings (home: string, settings: Settings): Promise<void> {
  await writeSecretFile(join(home, SETTINGS_FILE), JSON.stringify(settings, null, 2) + '\n')
}
