// What a decrypted message must satisfy before it is stored: a well-formed inner payload whose
// statement is signed by its author, whose author is the peer that sent it over this Noise
// connection, that names us as a recipient, and whose body matches its commitment and is UTF-8.
// The cheap checks are made here; the signature is left to the caller, after its replay check.
import { decodePayload } from '../../crypto/e2e/index.js'
import { equals } from '../../crypto/encoding.js'
import { bodyCommitment } from '../../crypto/statement-signature.js'
import { parseStatement, type Statement } from '../../crypto/statement.js'
import { CausetteError } from '../errors.js'
import { MAX_BODY_BYTES } from '../protocol/limits.js'

export interface CheckedMessage {
  statement: Statement
  statementBytes: Uint8Array
  signature: Uint8Array
  salt: Uint8Array
  text: string
}

const textDecoder = new TextDecoder('utf-8', { fatal: true })

/** Everything but the signature (the recipient, when `localKey` is given); throws CausetteError naming what is wrong. */
export function checkInbound (plaintext: Uint8Array, from: Uint8Array, localKey?: Uint8Array): CheckedMessage {
  let payload: ReturnType<typeof decodePayload>
  try {
    payload = decodePayload(plaintext, MAX_BODY_BYTES)
  } catch (error) {
    throw new CausetteError('E2E_BAD_PAYLOAD', (error as Error).message)
  }
  let statement: Statement
  try {
    statement = parseStatement(payload.statement)
  } catch (error) {
    throw new CausetteError('BAD_STATEMENT', (error as Error).message)
  }
  if (!equals(statement.author, from)) throw new CausetteError('WRONG_AUTHOR', 'statement author is not the sending peer')
  if (localKey !== undefined && !statement.recipients.some(r => equals(r, localKey))) throw new CausetteError('NOT_A_RECIPIENT', 'this node is not a recipient')
  if (!equals(bodyCommitment(payload.salt, payload.body), statement.bodyHash)) throw new CausetteError('BAD_STATEMENT', 'statement: body does not match its commitment')
  let text: string
  try { text = textDecoder.decode(payload.body) } catch { throw new CausetteError('BAD_FRAME', 'body is not UTF-8') }
  return { statement, statementBytes: payload.statement, signature: payload.signature, salt: payload.salt, text }
}
