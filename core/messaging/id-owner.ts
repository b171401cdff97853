// Which of two messages naming one id keeps it here (session 28, docs/SECURITY.md "A message id
// belongs to its author"). A new sender derives its ids from its device key and the body's salt
// (crypto/message-id.ts), so a message can prove its id is its author's. A colleague who copies an
// id cannot prove it for its own key: when the message that proves the id comes, it takes the id
// over from the copy, which is taken out. Ids of earlier versions prove nothing and keep the rule
// of session 27: the first author's message keeps the id.
import { fromBase64 } from '../../crypto/encoding.js'
import { isAuthorsId } from '../../crypto/message-id.js'
import { parseStatement } from '../../crypto/statement.js'
import { CausetteError } from '../errors.js'
import type { MessageRecord } from '../store/records.js'

/** Who asks for an id: the author's PeerId, and whether the id is provably that author's. */
export interface IdClaim {
  author: string
  proves: boolean
}

/**
 * Whether `claim` takes the id over from another message in flight (another author's, which cannot
 * prove the id, so copied it).
 */
export function takesOver (claim: IdClaim, inFlight: IdClaim): boolean {
  return claim.proves && inFlight.author !== claim.author && !inFlight.proves
}

/**
 * Whether `claim` takes the id over from the message stored under it. Only a received message is
 * taken over: ours proves its id, or was sent by an earlier version of this node (a random id). Its
 * statement is read only when that decides.
 */
export function takesOverStored (claim: IdClaim, held: MessageRecord): boolean {
  return claim.proves && held.author !== claim.author && held.direction === 'in' && !storedIdProven(held)
}

/** Whether a stored message's id is derived from its own author's key and salt. */
function storedIdProven (held: Pick<MessageRecord, 'id' | 'statement' | 'salt'>): boolean {
  return isAuthorsId(held.id, parseStatement(fromBase64(held.statement)).author, fromBase64(held.salt))
}

/**
 * The refusal of a message whose id is held (or in flight) already, which it cannot take over. The
 * same author's is a replay, which its sender takes as delivered. Another author's is no replay:
 * one of the two copied the other's id, and answering REPLAY told the real author "delivered" while
 * the copier's words stood in its place.
 */
export function idRefusal (holder: string | undefined, author: string): CausetteError {
  if (holder === undefined || holder === author) return new CausetteError('REPLAY', 'message id already received')
  return new CausetteError('MESSAGE_ID_TAKEN', 'another author\'s message holds this id here: not stored')
}

/** What a conversation's or a channel's record says of its messages: how many are unread, the latest. */
export interface MessageSummary {
  unread: number
  lastMessageId: string | null
}

/**
 * A summary's change when the copier's `message` in it is taken out, and its undo, should the batch
 * that takes it out fail. Unread, it counted once (an amendment never did); the latest, it is named
 * no more (its id goes to the real message, maybe in another conversation).
 */
export function summaryWithout (message: Pick<MessageRecord, 'id' | 'amends' | 'state'>): { forget: <S extends MessageSummary>(summary: S) => S, undo: <S extends MessageSummary>(summary: S) => S } {
  const counted = message.amends === undefined && message.state !== 'read'
  let uncounted = 0
  let wasLatest = false
  return {
    forget: summary => {
      uncounted = counted ? Math.min(1, summary.unread) : 0
      wasLatest = summary.lastMessageId === message.id
      return { ...summary, unread: summary.unread - uncounted, lastMessageId: wasLatest ? null : summary.lastMessageId }
    },
    undo: summary => ({ ...summary, unread: summary.unread + uncounted, lastMessageId: wasLatest && summary.lastMessageId === null ? message.id : summary.lastMessageId })
  }
}
