// A send retried with its client-chosen sendId sends nothing again. The node may stop after it stored
// a message but before the client had its answer; the client then retries with the same sendId and
// gets the message stored the first time. The sendId is written in the batch that stores the message
// (`sendIdOp`), so it is durable exactly when the message is. A sendId that sent another message
// (another conversation, text, quote, urgency or files) is refused: SEND_ID_REUSED. A file staged
// again for a retry (a command run again stages it anew, under a new id) is the same file when its
// content is: the claim names the files both ways. A sendId is kept SEND_ID_KEPT_MS, then pruned.
import { toBase64, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { CausetteError } from '../errors.js'
import type { BatchOp } from '../store/batch.js'
import { heldMessage, type Database } from '../store/database.js'
import type { GroupCommit } from '../store/group-commit.js'
import type { MessageRecord } from '../store/records.js'

/**
 * How long a sendId is kept: a retry comes within minutes of its failed send, or days later at most
 * (a desk left over a weekend, a cron job failing until someone mends it). A week covers both with
 * room; after it, the same sendId would send again.
 */
export const SEND_ID_KEPT_MS = 7 * 24 * 3_600_000

/** How often the sendIds older than SEND_ID_KEPT_MS are pruned, besides once at start. */
export const SEND_ID_PRUNE_EVERY_MS = 24 * 3_600_000

/**
 * A sendId and the digest of the request it came with: `request` names the staged files by id,
 * `content` (when the request names files, all of them staged) by what they hold.
 */
export interface SendClaim { sendId: string, request: string, content?: string }

/** What a staged file holds: the same file staged again has a new id and the same content. */
export interface StagedContent { sha256: string, name: string, type: string, size: number }

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

/** `request`'s claim; `contentOf` tells what a staged file holds (undefined: not staged, taken by the first send). */
export function sendClaim (sendId: string, request: SentRequest, contentOf: (stagedId: string) => StagedContent | undefined): SendClaim {
  const byId = digest(request, id => id)
  if (request.attachments === undefined || request.attachments.length === 0) return { sendId, request: byId }
  const ids = request.attachments.flatMap(a => a.preview === undefined ? [a.file] : [a.file, a.preview])
  const contents = new Map(ids.map(id => [id, contentOf(id)]))
  if ([...contents.values()].some(content => content === undefined)) return { sendId, request: byId }
  // Only what the file holds: a view of it may name its staged id too.
  return { sendId, request: byId, content: digest(request, id => { const { sha256, name, type, size } = contents.get(id)!; return [sha256, name, type, size] }) }
}

/** The request's fields in one fixed order, absent ones as null: equal requests give equal digests. */
function digest (request: SentRequest, file: (stagedId: string) => unknown): string {
  const fields = [
    request.to,
    request.text,
    (request.attachments ?? []).map(a => [file(a.file), a.preview === undefined ? null : file(a.preview), a.width ?? null, a.height ?? null]),
    request.quote ?? null,
    request.replyTo ?? null,
    request.urgent ?? null
  ]
  return toBase64(sha256(utf8(JSON.stringify(fields))))
}

/** Records that `claim` sent `message`: written in the batch that stores the message. */
export function sendIdOp (db: Pick<Database, 'sendIds'>, claim: SendClaim, message: Pick<MessageRecord, 'id' | 'time'>): BatchOp {
  const value = { message: message.id, request: claim.request, ...(claim.content !== undefined ? { content: claim.content } : {}), time: message.time }
  return { type: 'put', sublevel: db.sendIds, key: claim.sendId, value }
}

export class SendOnce {
  /** The send under way for each sendId in this process: a second request with it waits for the first. */
  private readonly running = new Map<string, Promise<unknown>>()

  /**
   * `kept`: every sendId the store holds, read once at start (a week of sends at most). A new
   * sendId, the common case, is then known new without a LevelDB read (about 60 µs of CPU each).
   */
  private constructor (
    private readonly db: Pick<Database, 'sendIds' | 'messageIndex' | 'messages'>,
    private readonly commit: Pick<GroupCommit<never, BatchOp>, 'write'>,
    private readonly now: () => number,
    private readonly kept: Set<string>
  ) {}

  static async load (db: Pick<Database, 'sendIds' | 'messageIndex' | 'messages'>, commit: Pick<GroupCommit<never, BatchOp>, 'write'>, now: () => number): Promise<SendOnce> {
    return new SendOnce(db, commit, now, new Set(await db.sendIds.keys().all()))
  }

  /**
   * `send()`'s answer, or, when `claim` already sent a message, `stored(message)` without sending. A
   * request with the sendId of one under way waits for it, then finds its message.
   */
  async run<T> (claim: SendClaim | undefined, send: () => Promise<T>, stored: (message: MessageRecord) => Promise<T>): Promise<T> {
    if (claim === undefined) return await send()
    const earlier = this.running.get(claim.sendId)
    const turn = (async () => {
      await earlier?.catch(() => undefined)
      const message = this.kept.has(claim.sendId) ? await this.sentBy(claim) : undefined
      return message === undefined ? await this.sendKept(claim.sendId, send) : await stored(message)
    })()
    this.running.set(claim.sendId, turn)
    try {
      return await turn
    } finally {
      if (this.running.get(claim.sendId) === turn) this.running.delete(claim.sendId)
    }
  }

  /** `send()`, which writes `sendId` with its message: known from then on. */
  private async sendKept<T> (sendId: string, send: () => Promise<T>): Promise<T> {
    try {
      const answer = await send()
      this.kept.add(sendId)
      return answer
    } catch (error) {
      // It may have failed after its message was stored (unstaging its files): the store says.
      if (await this.db.sendIds.has(sendId)) this.kept.add(sendId)
      throw error
    }
  }

  /** The message `claim`'s sendId sent, if it sent one; SEND_ID_REUSED if it sent another request. */
  private async sentBy (claim: SendClaim): Promise<MessageRecord | undefined> {
    const record = await this.db.sendIds.get(claim.sendId)
    if (record === undefined) return undefined
    if (record.request !== claim.request && (claim.content === undefined || record.content !== claim.content)) {
      throw new CausetteError('SEND_ID_REUSED', 'this sendId was used for another message (another conversation, text, quote, urgency or files): choose a new sendId for a new message')
    }
    const message = await heldMessage(this.db, record.message)
    if (message === undefined) throw new CausetteError('NOT_FOUND', 'the message this sendId sent is no longer held')
    return message
  }

  /**
   * Forgets the sendIds kept longer than SEND_ID_KEPT_MS, in one batch; answers how many. Run at start
   * and then daily (node/send-id-pruning.ts), never on a send: the walk reads every sendId kept.
   */
  async prune (): Promise<number> {
    const oldest = this.now() - SEND_ID_KEPT_MS
    const expired: string[] = []
    // A record without its time was written before sendIds were pruned: it is old by now.
    for await (const [sendId, record] of this.db.sendIds.iterator()) if ((record.time ?? 0) < oldest) expired.push(sendId)
    if (expired.length > 0) await this.commit.write([], expired.map(key => ({ type: 'del', sublevel: this.db.sendIds, key })))
    for (const sendId of expired) this.kept.delete(sendId)
    return expired.length
  }
}
