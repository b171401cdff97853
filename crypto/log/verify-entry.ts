// Checks one journal leaf: canonical JSON, a known kind, an integer time and, for a message, the
// author's signature over the exact statement bytes and the statement's agreement with the entry;
// for a receipt, membership or channel entry, its signer's signature (verify-log-entries.ts).
// Returns what the rest of the verification needs (the body commitment, the statement's seq).
import { equals, fromUtf8 } from '../encoding.js'
import { decodeBase64 } from '../base64.js'
import { parseReceipt, ReceiptError, type Receipt } from '../receipt.js'
import { parseStatement, StatementError, type Statement } from '../statement.js'
import { parseCanonicalJson, type LeafObject } from './canonical-json.js'
import { isEntryKind, isMessageKind, type EntryKind } from './entry-kinds.js'
import { ed25519PeerId } from './peer-id.js'
import type { LogPrimitives } from './primitives.js'
import { ChannelMembership, checkMembershipLeaf, EntryCheckError, signatureChecker, type CheckSignature } from './verify-log-entries.js'

export interface CheckedEntry {
  kind: EntryKind
  fields: LeafObject
  /** for messages: the signed statement (its SHA-256(salt || body), author, seq) */
  statement?: Statement
}

export const AUTHOR_SIGNATURE_FAILS = 'the author signature does not verify'

export { EntryCheckError }

function fail (why: string): never {
  throw new EntryCheckError(why)
}

function checkMessage (fields: LeafObject, logKey: Uint8Array, kind: EntryKind, check: CheckSignature): Statement {
  const bytes = typeof fields.statement === 'string' ? decodeBase64(fields.statement) : undefined
  const signature = typeof fields.signature === 'string' ? decodeBase64(fields.signature, 64) : undefined
  if (bytes === undefined || signature === undefined) fail('statement and signature must be base64')
  let statement: Statement
  try { statement = parseStatement(bytes) } catch (error) {
    if (error instanceof StatementError) fail(error.message)
    throw error
  }
  check({ publicKey: statement.author, message: bytes, signature, reason: AUTHOR_SIGNATURE_FAILS })
  if (statement.id !== fields.id) fail('the entry id differs from the statement id')
  if (statement.conversation !== fields.conversation) fail('the entry conversation differs from the statement')
  if (kind === 'message-sent') {
    if (!equals(statement.author, logKey)) fail('a sent message is not authored by the journal\'s key')
    if (!statement.recipients.some(r => ed25519PeerId(r) === fields.peer)) fail('the entry\'s peer is not a recipient of the statement')
  } else if (ed25519PeerId(statement.author) !== fields.peer) {
    fail('the entry\'s peer is not the statement\'s author')
  }
  return statement
}

/** A receipt entry that carries the peer's signed receipt: the receipt must say what the entry says. */
function checkSignedReceipt (fields: LeafObject, logKey: Uint8Array, check: CheckSignature): void {
  const bytes = typeof fields.signed === 'string' ? decodeBase64(fields.signed) : undefined
  const signature = typeof fields.signature === 'string' ? decodeBase64(fields.signature, 64) : undefined
  if (bytes === undefined || signature === undefined) fail('signed receipt and signature must be base64')
  let receipt: Receipt
  try { receipt = parseReceipt(bytes) } catch (error) {
    if (error instanceof ReceiptError) fail(error.message)
    throw error
  }
  check({ publicKey: receipt.author, message: bytes, signature, reason: 'the receipt signature does not verify' })
  if (!equals(receipt.to, logKey)) fail('the receipt is not addressed to the journal\'s key')
  if (ed25519PeerId(receipt.author) !== fields.peer) fail('the entry\'s peer did not sign the receipt')
  if (receipt.conversation !== fields.conversation || receipt.state !== fields.receipt) fail('the entry differs from its signed receipt')
  const ids = fields.messages
  if (!Array.isArray(ids) || ids.length !== receipt.ids.length || ids.some((id, i) => id !== receipt.ids[i])) fail('the entry\'s messages differ from its signed receipt')
}

/**
 * Checks one leaf. With `defer`, signatures are handed over to be checked later (in a batch) instead
 * of now; everything else is checked here. `channels` holds the file's channel entries so far (a
 * channel entry needs its channel's earlier ones).
 */
export function checkEntry (primitives: LogPrimitives, leaf: Uint8Array, logKey: Uint8Array, defer?: CheckSignature, channels = new ChannelMembership()): CheckedEntry {
  let fields: LeafObject
  try { fields = parseCanonicalJson(fromUtf8(leaf)) } catch (error) { fail((error as Error).message) }
  const kind = fields.kind
  if (!isEntryKind(kind)) fail('unknown entry kind')
  if (typeof fields.time !== 'number' || fields.time < 0) fail('time must be a non-negative integer')
  const check = signatureChecker(primitives, defer)
  if (kind === 'receipt' && fields.signed !== undefined) checkSignedReceipt(fields, logKey, check)
  if (kind === 'membership') checkMembershipLeaf(primitives, fields, check)
  if (kind === 'channel-entry') channels.check(primitives, fields, check)
  if (!isMessageKind(kind)) return { kind, fields }
  return { kind, fields, statement: checkMessage(fields, logKey, kind, check) }
}
