// A send retried with its client-chosen sendId sends nothing again. The node may stop after it stored
// a message but before the client had its answer; the client then retries with the same sendId and
// gets the message stored the first time. The sendId is written in the batch that stores the message
// (`sendIdOp`), so it is durable exactly when the message is. A sendId that sent another message
// (another conversation, text, quote, urgency or files) is refused: SEND_ID_REUSED.
import { toBase64, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { CausetteError } from '../errors.js'
import type { BatchOp } from '../store/batch.js'
import { heldMessage, type Database } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'

/** A sendId and the digest of the request it came with. */
export interface SendClaim { sendId: string, request: string }

/** What a send request asks, as a retry must ask it again: where, and every field of the message. */
export interface SentRequest {
  /** `peer:<PeerId>` or `channel:<channel id>` */
  to: string
  text: string
  attachments?: ReadonlyArray<{ file: string, preview?: string | undefined, width?: number | undefined, height?: number | undefined }> | undefined
  quote?: string | undefined
  replyTo?: string | undefined
  urgent?: string | undefined
}

export function sendClaim (sendId: string, request: SentRequest): SendClaim {
  // Fields listed in one fixed order, absent ones as null: equal requests give equal digests.
  const fields = [
    request.to,
    request.text,
    (request.attachments ?? []).map(a => [a.file, a.preview ?? null, a.width ?? null, a.height ?? null]),
    request.quote ?? null,
    request.replyTo ?? null,
    request.urgent ?? null
  ]
  return { sendId, request: toBase64(sha256(utf8(JSON.stringify(fields)))) }
}

/** Records that `claim` sent `messageId`: written in the batch that stores the message. */
export function sendIdOp (db: Pick<Database, 'sendIds'>, claim: SendClaim, messageId: string): BatchOp {
  return { type: 'put', sublevel: db.sendIds, key: claim.sendId, value: { message: messageId, request: claim.request } }
}

export class SendOnce {
  /** The send under way for each sendId in this process: a second request with it waits for the first. */
  private readonly running = new Map<string, Promise<unknown>>()

  constructor (private readonly db: Pick<Database, 'sendIds' | 'messageIndex' | 'messages'>) {}

  /**
   * `send()`'s answer, or, when `claim` already sent a message, `stored(message)` without sending. A
   * request with the sendId of one under way waits for it, then finds its message.
   */
  async run<T> (claim: SendClaim | undefined, send: () => Promise<T>, stored: (message: MessageRecord) => Promise<T>): Promise<T> {
    if (claim === undefined) return await send()
    const earlier = this.running.get(claim.sendId)
    const turn = (async () => {
      await earlier?.catch(() => undefined)
      const message = await this.sentBy(claim)
      return message === undefined ? await send() : await stored(message)
    })()
    this.running.set(claim.sendId, turn)
    try {
      return await turn
    } finally {
      if (this.running.get(claim.sendId) === turn) this.running.delete(claim.sendId)
    }
  }

  /** The message `claim`'s sendId sent, if it sent one; SEND_ID_REUSED if it sent another request. */
  private async sentBy (claim: SendClaim): Promise<MessageRecord | undefined> {
    const record = await this.db.sendIds.get(claim.sendId)
    if (record === undefined) return undefined
    if (record.request !== claim.request) {
      throw new CausetteError('SEND_ID_REUSED', 'this sendId was used for another message (another conversation, text, quote, urgency or files): choose a new sendId for a new message')
    }
    const message = await heldMessage(this.db, record.message)
    if (message === undefined) throw new CausetteError('NOT_FOUND', 'the message this sendId sent is no longer held')
    return message
  }
}
