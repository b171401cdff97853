// The author's statement (DESIGN.md §4): a short line-oriented text that binds the workspace, the
// conversation, the recipients, the message id (derived from the author's key and the body's salt
// by new senders, message-id.ts; random in earlier versions: both are 32 bytes), the time, the
// author's sequence number in the conversation (so gaps and reordering are visible to the recipient
// and to an auditor), a salted SHA-256 of the body and, for a message that must break through
// focus, the reason it is urgent.
// It is signed as exact bytes and kept as those bytes; parsing never re-serialises it.
// This module is pure (no Node imports) so that the browser's verifier can parse statements;
// signing and verification are in statement-signature.ts.
import { parseBase64, toBase64, utf8 } from './encoding.js'
import { base64UrlId, integerField, readFields } from './text-fields.js'
import { purposeLabel } from './signing-labels.js'

const ED25519_PUBLIC_KEY_BYTES = 32
export const MESSAGE_ID_BYTES = 32
export const BODY_SALT_BYTES = 32
export const CONVERSATION_ID_BYTES = 16
const HEADER = purposeLabel('statement')
const FIELDS = ['workspace', 'conversation', 'author', 'recipients', 'id', 'time', 'seq', 'body-sha256'] as const
/** Optional lines, after the required ones and in this order. */
const URGENT = 'urgent: '
export const MAX_URGENT_REASON_CHARS = 200
const WORKSPACE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/
const MAX_RECIPIENTS = 1000

export interface Statement {
  workspace: string
  /** base64url of 16 bytes */
  conversation: string
  /** Ed25519 public key of the author's device */
  author: Uint8Array
  /** Ed25519 public keys of the recipients' devices, in the order signed (sorted when built) */
  recipients: Uint8Array[]
  /** base64url of 32 bytes: derived from the author and the body's salt (message-id.ts), or random (earlier versions) */
  id: string
  /** Unix time in milliseconds */
  time: number
  /** The author's messages in this conversation are numbered 1, 2, 3, ... */
  seq: number
  /** SHA-256(salt || body) */
  bodyHash: Uint8Array
  /** Why the message may interrupt someone in focus: one line of text. */
  urgent?: string
}

export class StatementError extends Error {
  override name = 'StatementError'
  readonly code = 'BAD_STATEMENT'
}

export function encodeStatement (s: Omit<Statement, 'recipients'> & { recipients: Uint8Array[] }): Uint8Array {
  const recipients = s.recipients.map(toBase64).sort()
  checkFields(s, recipients) // refuse to sign what we would refuse to read
  const lines = [
    HEADER,
    `workspace: ${s.workspace}`,
    `conversation: ${s.conversation}`,
    `author: ${toBase64(s.author)}`,
    `recipients: ${recipients.join(',')}`,
    `id: ${s.id}`,
    `time: ${s.time}`,
    `seq: ${s.seq}`,
    `body-sha256: ${toBase64(s.bodyHash)}`,
    ...(s.urgent !== undefined ? [URGENT + s.urgent] : [])
  ]
  return utf8(lines.join('\n') + '\n')
}

/**
 * What parseStatement checks, on the values before they are written: parsing the encoded text
 * again cost a sender 3% of its CPU per message (bench, issue 15). statement.test.ts checks that
 * whatever passes here parses back to the same values.
 */
function checkFields (s: Statement, recipients: string[]): void {
  if (!WORKSPACE_PATTERN.test(s.workspace)) fail('workspace is malformed')
  base64UrlId(s.conversation, CONVERSATION_ID_BYTES, 'conversation', fail)
  if (s.author.length !== ED25519_PUBLIC_KEY_BYTES) fail('author is not an Ed25519 public key')
  if (recipients.length === 0 || recipients.length > MAX_RECIPIENTS) fail(`1 to ${MAX_RECIPIENTS} recipients`)
  if (s.recipients.some(key => key.length !== ED25519_PUBLIC_KEY_BYTES)) fail('recipient is not an Ed25519 public key')
  if (recipients.some((r, i) => i > 0 && r === recipients[i - 1])) fail('recipients must be distinct')
  base64UrlId(s.id, MESSAGE_ID_BYTES, 'id', fail)
  if (!Number.isSafeInteger(s.time) || s.time < 0) fail('time is not an integer of at least 0')
  if (!Number.isSafeInteger(s.seq) || s.seq < 1) fail('seq is not an integer of at least 1')
  if (s.bodyHash.length !== 32) fail('body-sha256 is not 32 bytes')
  if (s.urgent !== undefined && !isValidUrgentReason(s.urgent)) fail(`urgent is one line of 1 to ${MAX_URGENT_REASON_CHARS} printable characters`)
}

export function fail (why: string): never {
  throw new StatementError(`statement: ${why}`)
}

/** One line of printable text: no control characters, no surrounding spaces. */
export function isValidUrgentReason (reason: string): boolean {
  return reason.length > 0 && [...reason].length <= MAX_URGENT_REASON_CHARS && reason.trim() === reason && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(reason)
}

function key (text: string, field: string): Uint8Array {
  return parseBase64(text, ED25519_PUBLIC_KEY_BYTES) ?? fail(`${field} is not a base64 Ed25519 public key`)
}

export function parseStatement (bytes: Uint8Array): Statement {
  const { values, rest } = readFields(bytes, HEADER, FIELDS, fail)
  if (rest.length > 1) fail(`expected ${FIELDS.length} fields and at most an urgent line`)
  let urgent: string | undefined
  if (rest.length === 1) {
    if (!rest[0]!.startsWith(URGENT)) fail(`line ${FIELDS.length + 2} must be "urgent"`)
    urgent = rest[0]!.slice(URGENT.length)
    if (!isValidUrgentReason(urgent)) fail(`urgent is one line of 1 to ${MAX_URGENT_REASON_CHARS} printable characters`)
  }
  const [workspace, conversation, author, recipients, id, time, seq, bodyHash] = values as [string, string, string, string, string, string, string, string]
  if (!WORKSPACE_PATTERN.test(workspace)) fail('workspace is malformed')
  const recipientList = recipients.split(',')
  if (recipientList.length > MAX_RECIPIENTS) fail('too many recipients')
  const sorted = [...recipientList].sort()
  if (recipientList.some((r, i) => r !== sorted[i] || (i > 0 && r === recipientList[i - 1]))) fail('recipients must be sorted and distinct')
  return {
    workspace,
    conversation: base64UrlId(conversation, CONVERSATION_ID_BYTES, 'conversation', fail),
    author: key(author, 'author'),
    recipients: recipientList.map(r => key(r, 'recipient')),
    id: base64UrlId(id, MESSAGE_ID_BYTES, 'id', fail),
    time: integerField(time, 'time', 0, fail),
    seq: integerField(seq, 'seq', 1, fail),
    bodyHash: parseBase64(bodyHash, 32) ?? fail('body-sha256 is not 32 bytes of base64'),
    ...(urgent !== undefined ? { urgent } : {})
  }
}
