// The release signer's private key file, in the text form of Go's sumdb/note and the C2SP tools:
// PRIVATE+KEY+<name>+<key ID hex>+<base64(0x01 || 32-byte Ed25519 seed)>. Only the signing script
// reads it; it lives outside any repository (mode 0600), and the node never sees it.
import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { concat, parseBase64, toBase64, toHex } from '../../crypto/encoding.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { sha256 } from '../../crypto/sha256.js'
import { formatVerifierKey, noteKey, type NoteKey } from '../../crypto/signed-note.js'

const PREFIX = 'PRIVATE+KEY+'
export const RELEASE_KEY_NAME = 'causette-release'

export interface SignerKey { key: NoteKey, sign: (message: Uint8Array) => Uint8Array, verifierKey: string }

export function signerKeyFromSeed (name: string, seed: Uint8Array): SignerKey {
  const key = noteKey(sha256, name, ed25519FromSeed(seed).publicKey)
  return { key, sign: ed25519Signer(seed), verifierKey: formatVerifierKey(key) }
}

export function formatSignerKey (name: string, seed: Uint8Array): string {
  const { key } = signerKeyFromSeed(name, seed)
  return `${PREFIX}${name}+${toHex(key.keyId)}+${toBase64(concat([Uint8Array.of(1), seed]))}\n`
}

export function parseSignerKey (text: string): SignerKey {
  const trimmed = text.trim()
  if (!trimmed.startsWith(PREFIX)) throw new Error(`a signer key starts with ${PREFIX}`)
  // name+id+key: base64 may itself hold '+', so the key is all that follows the second one.
  const [name, idHex, ...rest] = trimmed.slice(PREFIX.length).split('+')
  const seed = parseBase64(rest.join('+'), 33)
  if (name === undefined || idHex === undefined || seed?.[0] !== 1) throw new Error('a signer key is PRIVATE+KEY+<name>+<key id>+<base64 of 0x01 and a 32-byte seed>')
  const signer = signerKeyFromSeed(name, seed.slice(1))
  if (toHex(signer.key.keyId) !== idHex) throw new Error('the signer key\'s ID does not match its key')
  return signer
}

export async function readSignerKey (path: string): Promise<SignerKey> {
  return parseSignerKey(await readFile(path, 'utf8'))
}

/** Makes a new key pair: the private key goes to `path` (0600, never overwritten); returns the verifier key. */
export async function generateSignerKey (path: string, name = RELEASE_KEY_NAME): Promise<string> {
  const seed = new Uint8Array(randomBytes(32))
  await writeFile(path, formatSignerKey(name, seed), { mode: 0o600, flag: 'wx' })
  return signerKeyFromSeed(name, seed).verifierKey
}
