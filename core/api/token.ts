// The API token: 32 random bytes (base64url) created once per profile and kept in `api-token`
// (mode 0600), so a browser that logged in keeps working across daemon restarts. The app sends it
// only to a node that proved it holds it (crypto/api-proof.ts), so it is not rotated at each start;
// `causette token rotate` replaces it when it may have leaked.
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
  return await rotateApiToken(home)
}

/** Writes a new token over the old one; a running daemon keeps the old one until it restarts. */
export async function rotateApiToken (home: string): Promise<string> {
  await ensureProfileDir(home)
  const token = randomBytes(32).toString('base64url')
  await writeSecretFile(join(home, API_TOKEN_FILE), `${token}\n`)
  return token
}
