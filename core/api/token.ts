// The API token: 32 random bytes (base64url) created once per profile and kept in `api-token`
// (mode 0600), so a browser that logged in keeps working across daemon restarts.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureProfileDir, writeSecretFile } from '../profile/files.js'

export const API_TOKEN_FILE = 'api-token'

export async function loadOrCreateApiToken (home: string): Promise<string> {
  const path = join(home, API_TOKEN_FILE)
  const existing = await readFile(path, 'utf8').then(text => text.trim(), (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return ''
    throw error
  })
  if (existing !== '') return existing
  await ensureProfileDir(home)
  const token = randomBytes(32).toString('base64url')
  await writeSecretFile(path, `${token}\n`)
  return token
}
