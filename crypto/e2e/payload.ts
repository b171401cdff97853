// Sign, then encrypt (DESIGN.md §4): the plaintext of a ratchet message is the author's statement
// bytes, its Ed25519 signature, the body's salt and the body, in this layout:
//
//   version u8 1 | statement length u32 | statement | signature (64) | salt (32) | body length u32 | body
//
// or a signed receipt (crypto/receipt.ts) going back to the messages' author:
//
//   version u8 2 | receipt length u32 | receipt | signature (64)
//
// After decryption the caller verifies the statement (statement-signature.ts) as for any message.
import { ED25519_SIGNATURE_BYTES } from '../ed25519.js'
import { concat } from '../encoding.js'
import { signStatement, verifyStatement } from '../statement-signature.js'
import { BODY_SALT_BYTES, type Statement } from '../statement.js'
import type { Signer } from '../signing.js'
import { ByteReader, u32be } from './bytes.js'
import { e2eFail } from './errors.js'

const PAYLOAD_VERSION = 1
const RECEIPT_PAYLOAD_VERSION = 2
/** A receipt of 100 ids is about 4.6 KiB. */
export const MAX_RECEIPT_BYTES = 8 * 1024
/** A statement with 1,000 recipients is about 46 KiB. */
export const MAX_STATEMENT_BYTES = 64 * 1024
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024

export interface InnerPayload {
  statement: Uint8Array
  signature: Uint8Array
  salt: Uint8Array
  body: Uint8Array
}

const fail = (why: string): never => e2eFail('E2E_BAD_PAYLOAD', `inner payload: ${why}`)

export function encodePayload (p: InnerPayload, maxBodyBytes = DEFAULT_MAX_BODY_BYTES): Uint8Array {
  if (p.statement.length > MAX_STATEMENT_BYTES) fail(`statement over ${MAX_STATEMENT_BYTES} bytes`)
  if (p.body.length > maxBodyBytes) fail(`body over ${maxBodyBytes} bytes`)
  if (p.signature.length !== ED25519_SIGNATURE_BYTES || p.salt.length !== BODY_SALT_BYTES) fail('signature or salt of the wrong length')
  return concat([Uint8Array.of(PAYLOAD_VERSION), u32be(p.statement.length), p.statement, p.signature, p.salt, u32be(p.body.length), p.body])
}

export function decodePayload (bytes: Uint8Array, maxBodyBytes = DEFAULT_MAX_BODY_BYTES): InnerPayload {
  const r = new ByteReader(bytes, fail)
  if (r.u8('version') !== PAYLOAD_VERSION) fail('unknown version')
  const statement = r.sized(MAX_STATEMENT_BYTES, 'statement')
  const signature = r.take(ED25519_SIGNATURE_BYTES, 'signature')
  const salt = r.take(BODY_SALT_BYTES, 'salt')
  const body = r.sized(maxBodyBytes, 'body')
  r.end()
  return { statement, signature, salt, body }
}

export interface ReceiptPayload {
  receipt: Uint8Array
  signature: Uint8Array
}

/** What a decrypted plaintext holds, from its first byte (the caller then decodes that kind). */
export function payloadKind (bytes: Uint8Array): 'message' | 'receipt' {
  if (bytes[0] === PAYLOAD_VERSION) return 'message'
  if (bytes[0] === RECEIPT_PAYLOAD_VERSION) return 'receipt'
  return fail('unknown version')
}

export function encodeReceiptPayload (p: ReceiptPayload): Uint8Array {
  if (p.receipt.length > MAX_RECEIPT_BYTES) fail(`receipt over ${MAX_RECEIPT_BYTES} bytes`)
  if (p.signature.length !== ED25519_SIGNATURE_BYTES) fail('signature of the wrong length')
  return concat([Uint8Array.of(RECEIPT_PAYLOAD_VERSION), u32be(p.receipt.length), p.receipt, p.signature])
}

export function decodeReceiptPayload (bytes: Uint8Array): ReceiptPayload {
  const r = new ByteReader(bytes, fail)
  if (r.u8('version') !== RECEIPT_PAYLOAD_VERSION) fail('not a receipt')
  const receipt = r.sized(MAX_RECEIPT_BYTES, 'receipt')
  const signature = r.take(ED25519_SIGNATURE_BYTES, 'signature')
  r.end()
  return { receipt, signature }
}

/** Signs the statement (whose bodyHash must commit to salt and body) and lays out the plaintext. */
export function signPayload (sign: Signer, statement: Statement, salt: Uint8Array, body: Uint8Array, maxBodyBytes = DEFAULT_MAX_BODY_BYTES): Uint8Array {
  const { bytes, signature } = signStatement(sign, statement)
  return encodePayload({ statement: bytes, signature, salt, body }, maxBodyBytes)
}

/** Decodes a decrypted plaintext and verifies its statement, signature and body commitment (StatementError). */
export function openPayload (plaintext: Uint8Array, maxBodyBytes = DEFAULT_MAX_BODY_BYTES): { payload: InnerPayload, statement: Statement } {
  const payload = decodePayload(plaintext, maxBodyBytes)
  const statement = verifyStatement(payload.statement, payload.signature, { salt: payload.salt, body: payload.body })
  return { payload, statement }
}
