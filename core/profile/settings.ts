// The user's settings kept in the profile (`settings.json`): the display name, and whether senders
// learn when their messages are read.
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { isValidName } from '../../crypto/device-record.js'
import { CausetteError } from '../errors.js'
import { readJsonFile, writeSecretFile } from './files.js'

export interface Settings {
  name: string
  /** Send read receipts (default true): each user may turn them off. */
  readReceipts: boolean
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

export async function loadSettings (home: string, override: { name?: string } = {}): Promise<Settings> {
  const path = join(home, 'settings.json')
  const stored = await readJsonFile<Partial<Settings>>(path)
  const settings: Settings = {
    name: override.name !== undefined ? checkName(override.name) : stored?.name ?? defaultName(),
    readReceipts: typeof stored?.readReceipts === 'boolean' ? stored.readReceipts : true
  }
  if (stored?.name !== settings.name || stored.readReceipts !== settings.readReceipts) await saveSettings(home, settings)
  return settings
}

export async function saveSettings (home: string, settings: Settings): Promise<void> {
  await writeSecretFile(join(home, 'settings.json'), JSON.stringify(settings, null, 2) + '\n')
}
