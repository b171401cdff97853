// A signed receipt: the recipient of messages states that it stored them (delivered) or that its
// user saw them (read). Line-oriented text like the statement, signed as exact bytes by the
// recipient's device key, so the author's journal holds proof of delivery that an auditor can check.
// Pure (no Node imports) so that the browser's verifier can parse receipts.
import { parseBase64, toBase64, utf8 } from './encoding.js'
import { base64UrlId, integerField, readFields } from './text-fields.js'
import { purposeLabel } from './signing-labels.js'
import { CONVERSATION_ID_BYTES, MESSAGE_ID_BYTES } from './statement.js'

const HEADER = purposeLabel('receipt')
const FIELDS = ['workspace', 'conversation', 'author', 'to', 'state', 'time', 'ids'] as const
export const RECEIPT_STATES = ['delivered', 'read'] as const
export type ReceiptState = typeof RECEIPT_STATES[number]
/** A receipt names at most this many messages; more are split over several receipts. */
export const MAX_RECEIPT_IDS = 100
const WORKSPACE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/

export interface Receipt {
  workspace: string
  /** base64url of 16 bytes */
  conversation: string
  /** Ed25519 device key of the signer: the recipient of the messages */
  author: Uint8Array
  /** Ed25519 device key of the messages' author, to whom the receipt goes */
  to: Uint8Array
  state: ReceiptState
  /** Unix ms */
  time: number
  /** Message ids (base64url of 32 bytes), distinct, 1 to MAX_RECEIPT_IDS */
  ids: string[]
}

export class ReceiptError extends Error {
  override name = 'ReceiptError'
  readonly code = 'BAD_RECEIPT'
}

function fail (why: string): never {
  throw new ReceiptError(`receipt: ${why}`)
}

export function encodeReceipt (r: Receipt): Uint8Array {
  const lines = [
    HEADER,
    `workspace: ${r.workspace}`,
    `conversation: ${r.conversation}`,
    `author: ${toBase64(r.author)}`,
    `to: ${toBase64(r.to)}`,
    `state: ${r.state}`,
    `time: ${r.time}`,
    `ids: ${r.ids.join(',')}`
  ]
  const bytes = utf8(lines.join('\n') + '\n')
  parseReceipt(bytes) // refuse to sign what we would refuse to read
  return bytes
}

export function parseReceipt (bytes: Uint8Array): Receipt {
  const { values, rest } = readFields(bytes, HEADER, FIELDS, fail)
  if (rest.length > 0) fail(`expected ${FIELDS.length} fields`)
  const [workspace, conversation, author, to, state, time, ids] = values as [string, string, string, string, string, string, string]
  if (!WORKSPACE_PATTERN.test(workspace)) fail('workspace is malformed')
  if (!(RECEIPT_STATES as readonly string[]).includes(state)) fail('state must be delivered or read')
  const idList = ids.split(',')
  if (idList.length > MAX_RECEIPT_IDS) fail(`more than ${MAX_RECEIPT_IDS} ids`)
  if (new Set(idList).size !== idList.length) fail('ids must be distinct')
  return {
    workspace,
    conversation: base64UrlId(conversation, CONVERSATION_ID_BYTES, 'conversation', fail),
    author: parseBase64(author, 32) ?? fail('author is not a base64 Ed25519 public key'),
    to: parseBase64(to, 32) ?? fail('to is not a base64 Ed25519 public key'),
    state: state as ReceiptState,
    time: integerField(time, 'time', 0, fail),
    ids: idList.map(id => base64UrlId(id, MESSAGE_ID_BYTES, 'id', fail))
  }
}
