// The proof that the server on the app's port is the user's own node, asked for before the app sends
// its API token anywhere. The app draws a fresh challenge; the node answers
//   HMAC-SHA256(proofKey, "causette/api-proof/v1\n" || origin || "\n" || challenge)
// with proofKey = HMAC-SHA256(token, "causette/api-proof-key/v1"), and the origin the node was
// reached at (http://127.0.0.1:<port>). Only a holder of the token can answer; the answer reveals
// nothing of it; a challenge relayed to the real node on another port is answered for that port's
// origin, which the app refuses. WebCrypto only, so the daemon and the browser share this file.
import { encodeBase64 } from './base64.js'
import { randomBytes } from './random.js'

/** MAC purposes, apart from the signing purposes of signing-labels.ts: a key for one never makes the other. */
const PROOF_KEY_LABEL = 'causette/api-proof-key/v1'
const PROOF_LABEL = 'causette/api-proof/v1'
const CHALLENGE_BYTES = 32
/** 32 bytes of base64url without padding: a challenge, and a proof. */
export const CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/

const utf8 = new TextEncoder()
const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const

/** The proof key of a token, usable for HMAC only and never exported. */
export async function apiProofKey (token: string): Promise<CryptoKey> {
  const tokenKey = await globalThis.crypto.subtle.importKey('raw', utf8.encode(token), HMAC, false, ['sign'])
  const derived = await globalThis.crypto.subtle.sign('HMAC', tokenKey, utf8.encode(PROOF_KEY_LABEL))
  return await globalThis.crypto.subtle.importKey('raw', derived, HMAC, false, ['sign', 'verify'])
}

/** A fresh random challenge (base64url). */
export function newChallenge (): string {
  return toBase64Url(randomBytes(CHALLENGE_BYTES))
}

/** The node's answer to `challenge` when reached at `origin` (base64url). */
export async function apiProof (key: CryptoKey, origin: string, challenge: string): Promise<string> {
  const mac = await globalThis.crypto.subtle.sign('HMAC', key, proofMessage(origin, challenge))
  return toBase64Url(new Uint8Array(mac))
}

/** Whether `proof` answers `challenge` at `origin` under `key` (constant time: WebCrypto's verify). */
export async function checkApiProof (key: CryptoKey, origin: string, challenge: string, proof: string): Promise<boolean> {
  const mac = fromBase64Url(proof)
  if (mac === undefined) return false
  return await globalThis.crypto.subtle.verify('HMAC', key, mac, proofMessage(origin, challenge))
}

function proofMessage (origin: string, challenge: string): Uint8Array<ArrayBuffer> {
  // Neither may hold a newline, so the three lines cannot be read two ways.
  if (!CHALLENGE_PATTERN.test(challenge)) throw new Error('an API proof challenge is 32 bytes of base64url')
  if (/[\r\n]/.test(origin)) throw new Error('an origin has no line break')
  return utf8.encode(`${PROOF_LABEL}\n${origin.toLowerCase()}\n${challenge}`)
}

function toBase64Url (bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url (text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!CHALLENGE_PATTERN.test(text)) return undefined
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '=')
  return Uint8Array.from(binary, char => char.charCodeAt(0))
}
