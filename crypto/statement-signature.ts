// Signing and checking statements (Node side: node:crypto's Ed25519 and SHA-256).
import { ED25519_SIGNATURE_BYTES, ed25519Verify } from './ed25519.js'
import { equals } from './encoding.js'
import { sha256 } from './sha256.js'
import type { Signer } from './signing.js'
import { encodeStatement, fail, parseStatement, type Statement } from './statement.js'

export function bodyCommitment (salt: Uint8Array, body: Uint8Array): Uint8Array {
  return sha256(salt, body)
}

export function signStatement (sign: Signer, statement: Statement): { bytes: Uint8Array, signature: Uint8Array } {
  const bytes = encodeStatement(statement)
  return { bytes, signature: sign(bytes) }
}

/**
 * Parses and checks a statement: the signature by its author and, when given, the body against its
 * commitment. Throws StatementError naming what is wrong.
 */
export function verifyStatement (bytes: Uint8Array, signature: Uint8Array, body?: { salt: Uint8Array, body: Uint8Array }): Statement {
  const statement = parseStatement(bytes)
  if (signature.length !== ED25519_SIGNATURE_BYTES || !ed25519Verify(statement.author, bytes, signature)) fail('bad signature')
  if (body !== undefined && !equals(bodyCommitment(body.salt, body.body), statement.bodyHash)) fail('body does not match its commitment')
  return statement
}
