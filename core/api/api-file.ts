// `api.json` in the profile tells local clients (the CLI) where the running daemon listens and
// with which token. Mode 0600: the token is as good as the user's session.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { readJsonFile, writeSecretFile } from '../profile/files.js'

export const API_FILE = 'api.json'

export interface ApiFile {
  url: string
  token: string
  pid: number
}

export async function writeApiFile (home: string, contents: ApiFile): Promise<void> {
  await writeSecretFile(join(home, API_FILE), `${JSON.stringify(contents, null, 2)}\n`)
}

export async function readApiFile (home: string): Promise<ApiFile | undefined> {
  return await readJsonFile<ApiFile>(join(home, API_FILE))
}

export async function removeApiFile (home: string): Promise<void> {
  await rm(join(home, API_FILE), { force: true })
}
