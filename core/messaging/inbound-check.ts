// What a decrypted message must satisfy before it is stored: a well-formed inner payload whose
// statement is signed by its author, whose author is the peer that sent it over this Noise
// connection, that names us as a recipient, and whose body matches its commitment and is UTF-8.
import { openPayload } from '../../crypto/e2e/index.js'
import { equals } from '../../crypto/encoding.js'
import type { Statement } from '../../crypto/statement.js'
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

export function checkInbound (plaintext: Uint8Array, from: Uint8Array, localKey: Uint8Array): CheckedMessage {
  let opened: ReturnType<typeof openPayload>
  try {
    opened = openPayload(plaintext, MAX_BODY_BYTES)
  } catch (error) {
    const code = (error as { code?: string }).code === 'E2E_BAD_PAYLOAD' ? 'E2E_BAD_PAYLOAD' : 'BAD_STATEMENT'
    throw new CausetteError(code, (error as Error).message)
  }
  const { payload, statement } = opened
  if (!equals(statement.author, from)) throw new CausetteError('WRONG_AUTHOR', 'statement author is not the sending peer')
  if (!statement.recipients.some(r => equals(r, localKey))) throw new CausetteError('NOT_A_RECIPIENT', 'this node is not a recipient')
  let text: string
  try { text = textDecoder.decode(payload.body) } catch { throw new CausetteError('BAD_FRAME', 'body is not UTF-8') }
  return { statement, statementBytes: payload.statement, signature: payload.signature, salt: payload.salt, text }
}
