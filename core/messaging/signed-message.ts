// The one signed-message path of 1:1 and channel messages. Composing: the content is checked, the
// statement signed and the MessageRecord built. Accepting: a decrypted payload is checked, its id
// claimed against replays, its signature verified and the MessageRecord built. How the bytes are
// sealed (a pairwise session or a sender chain) and what else their batch holds stay with the caller.
import { ed25519Verify } from '../../crypto/ed25519.js'
import { toBase64, utf8 } from '../../crypto/encoding.js'
import { encodePayload } from '../../crypto/e2e/index.js'
import { isAuthorsId, messageIdOf } from '../../crypto/message-id.js'
import { smallRandomBytes } from '../../crypto/random.js'
import { bodyCommitment, signStatement } from '../../crypto/statement-signature.js'
import { BODY_SALT_BYTES, isValidUrgentReason, MAX_URGENT_REASON_CHARS } from '../../crypto/statement.js'
import type { Signer } from '../../crypto/signing.js'
import { CausetteError } from '../errors.js'
import { MAX_BODY_BYTES } from '../protocol/limits.js'
import { ArrivalOrder } from '../store/arrival-order.js'
import type { BatchOp } from '../store/batch.js'
import { StoredKeys } from '../store/stored-keys.js'
import { displacedMessageOps, heldMessage, type Database } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import { AmendmentBudget, checkOwnAmendments } from './amendment-budget.js'
import { checkAmendment } from './amendments.js'
import { amendmentOf, encodeBody, parseBody, type Amendment, type MessageBody } from './body.js'
import { idRefusal, takesOver, takesOverStored, type IdClaim } from './id-owner.js'
import { checkInbound } from './inbound-check.js'
import type { SearchPort } from './search-port.js'

export interface LocalIdentity {
  peerId: string
  deviceKey: Uint8Array
  sign: Signer
}

/** What the user wrote, checked: its encoded text and bytes, what it amends, its urgent reason. */
export interface CheckedContent {
  text: string
  body: Uint8Array
  amendment?: Amendment
  urgent?: string
}

/** Checks what we are about to send: the urgent reason, the body's rules and size. */
export function checkContent (content: MessageBody, urgent?: string): CheckedContent {
  const text = encodeBody(content)
  if (urgent !== undefined && !isValidUrgentReason(urgent)) throw new CausetteError('BAD_REQUEST', `an urgent reason is one line of 1 to ${MAX_URGENT_REASON_CHARS} characters`)
  const body = utf8(text)
  if (body.length === 0 || body.length > MAX_BODY_BYTES) throw new CausetteError('BAD_REQUEST', `a message is 1 to ${MAX_BODY_BYTES} bytes of text`)
  const amendment = amendmentOf(content)
  return { text, body, ...(amendment !== undefined ? { amendment } : {}), ...(urgent !== undefined ? { urgent } : {}) }
}

/** Refuses an edit, retraction or reaction by `author` that the message it names (if held) does not allow. */
export async function checkOwnAmendment (db: Database, content: CheckedContent, author: string, conversation: string): Promise<void> {
  if (content.amendment === undefined) return
  checkAmendment(content.amendment, author, conversation, await heldMessage(db, content.amendment.target))
  // Our colleagues would refuse one more: better say so here.
  await checkOwnAmendments(db, content.amendment.target, author)
}

/** Where a composed message goes and how it starts out. */
export interface Addressed {
  workspace: string
  conversation: string
  /** The device keys that can read it. */
  recipients: Uint8Array[]
  /** Whom the record names as its peer: the contact, or the channel. */
  peer: string
  seq: number
  time: number
  state: MessageRecord['state']
  stateTimes: MessageRecord['stateTimes']
}

export interface Composed {
  message: MessageRecord
  /** The plaintext to seal: statement, signature, salt and body. */
  payload: Uint8Array
}

/** Signs `content` as a new message of ours and builds its record; the caller seals the payload. */
export function composeMessage (me: LocalIdentity, content: CheckedContent, to: Addressed): Composed {
  const salt = smallRandomBytes(BODY_SALT_BYTES)
  // Bound to us (id-owner.ts): a colleague who copies it cannot keep it from its recipients.
  const id = messageIdOf(me.deviceKey, salt)
  const urgent = content.urgent !== undefined ? { urgent: content.urgent } : {}
  const { bytes, signature } = signStatement(me.sign, {
    workspace: to.workspace,
    conversation: to.conversation,
    author: me.deviceKey,
    recipients: to.recipients,
    id,
    time: to.time,
    seq: to.seq,
    bodyHash: bodyCommitment(salt, content.body),
    ...urgent
  })
  const message: MessageRecord = {
    id,
    conversation: to.conversation,
    direction: 'out',
    author: me.peerId,
    peer: to.peer,
    text: content.text,
    salt: toBase64(salt),
    statement: toBase64(bytes),
    signature: toBase64(signature),
    time: to.time,
    arrived: to.time,
    seq: to.seq,
    state: to.state,
    stateTime: to.time,
    stateTimes: to.stateTimes,
    ...urgent,
    ...(content.amendment !== undefined ? { amends: content.amendment.target } : {}),
    verified: true
  }
  return { message, payload: encodePayload({ statement: bytes, signature, salt, body: content.body }, MAX_BODY_BYTES) }
}

/** A decrypted message and what its transport already establishes about it. */
export interface InboundPayload {
  plaintext: Uint8Array
  /** The author as the transport authenticated it: the session's peer, or the chain's sender. */
  author: { peerId: string, device: Uint8Array }
  /** Our device key, when the statement must name us as a recipient (a pairwise message). */
  recipient?: Uint8Array
  /**
   * The conversation the statement must name: the transport always fixes it (a channel's, or the 1:1
   * one of the author and us). Unchecked, a colleague's message went into any conversation it named.
   */
  conversation: string
  /** The workspace the statement must name; undefined: any (this node belongs to none). */
  workspace: string | undefined
}

/** Fields of the record that only the caller knows (a channel message's channel and frame). */
export type RecordExtras = Pick<MessageRecord, 'channel' | 'group'>

export interface AcceptorComponents {
  db: Database
  now: () => number
  /** Takes a copier's message out of the search index when the real one takes its id over. */
  search: Pick<SearchPort, 'removeOps'>
}

/** A message being accepted: who claims its id, and when it is settled (stored or refused). */
interface InFlight extends IdClaim {
  settled: Promise<void>
}

/**
 * How the records of one kind of conversation (1:1, or channels) forget a copier's message taken
 * out (id-owner.ts): changed in memory now, their writes returned, and the undo should the batch fail.
 */
export type ForgetInSummary = (message: MessageRecord) => { ops: BatchOp[], undo: () => void }

/** Tells the app a copier's message was taken out, once the batch that takes it out is written. */
export type AnnounceTakenOut = (copy: MessageRecord) => void

/**
 * What takes out a copier's message whose id the message being stored takes over (id-owner.ts):
 * the writes to put before the message's own in its batch, and, once written, what tells the app,
 * to call before the message's own event (the app drops the copy, then shows the real one). Nothing
 * to write nor tell otherwise.
 */
export interface Displaced {
  ops: BatchOp[]
  announce: () => void
}

/** Stores `message`, with the writes that take out a copier's message it takes the id over from. */
export type StoreMessage = (message: MessageRecord, displaced: Displaced) => Promise<void>

const NOTHING_DISPLACED: Displaced = { ops: [], announce: () => {} }
/** What a claim settles with until its promise is made (a closure named per message would cost a defineProperty under keepNames). */
const nothingToSettle = (): void => {}

/**
 * Accepts signed messages exactly once: the id is claimed before the first await (two copies in
 * flight cannot both pass), then looked up among those stored (the replay guard).
 */
export class SignedMessageAcceptor {
  /** Ids in flight: who claims each, and when it settles. */
  private readonly claimed = new Map<string, InFlight>()
  private readonly stored: StoredKeys
  private readonly arrivals: ArrivalOrder
  private readonly amendments: AmendmentBudget
  private readonly summaries: Partial<Record<'direct' | 'channel', { forget: ForgetInSummary, announce: AnnounceTakenOut }>> = {}

  constructor (private readonly components: AcceptorComponents) {
    this.stored = new StoredKeys(components.db.messageIndex)
    this.arrivals = new ArrivalOrder(components.db)
    this.amendments = new AmendmentBudget(components.db)
  }

  /** The messenger (`direct`) and the channels each say how their records forget a copier's message taken out, and how the app hears of it. */
  forgetsWith (kind: 'direct' | 'channel', forget: ForgetInSummary, announce: AnnounceTakenOut): void {
    this.summaries[kind] = { forget, announce }
  }

  /**
   * Checks `inbound`, builds its record and hands it to `store` (which writes it durably); resolves
   * with its id. Throws a CausetteError naming what was refused.
   */
  async accept (inbound: InboundPayload, extras: RecordExtras, store: StoreMessage): Promise<string> {
    const m = checkInbound(inbound.plaintext, inbound.author.device, inbound.recipient)
    if (m.statement.conversation !== inbound.conversation) throw new CausetteError('BAD_STATEMENT', 'the statement names another conversation than the one it came by')
    if (inbound.workspace !== undefined && m.statement.workspace !== inbound.workspace) throw new CausetteError('BAD_STATEMENT', 'statement names another workspace than ours')
    const amendment = amendmentOf(parseBody(m.text))
    const id = m.statement.id
    const claim = { author: inbound.author.peerId, proves: isAuthorsId(id, m.statement.author, m.salt) }
    const author = claim.author
    // No await between the last look and the claim: two copies in flight cannot both pass.
    for (let inFlight = this.claimed.get(id); inFlight !== undefined; inFlight = this.claimed.get(id)) {
      // A message that proves its id waits for a copier's, then takes the id over from it (displacedBy).
      if (!takesOver(claim, inFlight)) throw idRefusal(inFlight.author, author)
      await inFlight.settled
    }
    let settle = nothingToSettle
    this.claimed.set(id, { ...claim, settled: new Promise<void>(resolve => { settle = resolve }) })
    let release: (() => void) | undefined
    try {
      // Both on this thread: a worker's round trip cost the main thread as much as the check itself
      // (bench, issue 15). A bad signature is refused as such, whatever id it names.
      if (!ed25519Verify(m.statement.author, m.statementBytes, m.signature)) throw new CausetteError('BAD_STATEMENT', 'statement: bad signature')
      const displaced = await this.displacedBy(id, claim)
      // An edit or retraction of someone else's message is refused; one before its original waits for it (amendments.ts).
      if (amendment !== undefined) checkAmendment(amendment, author, m.statement.conversation, await heldMessage(this.components.db, amendment.target))
      release = amendment === undefined ? undefined : await this.amendments.claim(amendment.target, author)
      const now = this.components.now()
      const message: MessageRecord = {
        id,
        conversation: m.statement.conversation,
        direction: 'in',
        author,
        peer: author,
        text: m.text,
        salt: toBase64(m.salt),
        statement: toBase64(m.statementBytes),
        signature: toBase64(m.signature),
        time: m.statement.time,
        arrived: await this.arrivals.arrivalFor({ conversation: m.statement.conversation, author, seq: m.statement.seq }, now),
        seq: m.statement.seq,
        state: 'delivered',
        stateTime: now,
        stateTimes: { delivered: now },
        ...(m.statement.urgent !== undefined ? { urgent: m.statement.urgent } : {}),
        ...(amendment !== undefined ? { amends: amendment.target } : {}),
        verified: true,
        ...extras
      }
      // Its summary forgets the copy now, with no await before the store that writes it (as a new message's is counted).
      const takenOut = displaced === undefined ? undefined : this.takeOut(displaced)
      try {
        await store(message, takenOut ?? NOTHING_DISPLACED)
      } catch (error) {
        takenOut?.undo()
        throw error
      }
      return id
    } finally {
      this.claimed.delete(id)
      settle()
      release?.()
    }
  }

  /**
   * Checks `id` among the messages stored: none holds it, or a copier's that `claim` takes the id
   * over from (returned), or else the refusal.
   */
  private async displacedBy (id: string, claim: IdClaim): Promise<MessageRecord | undefined> {
    if (!await this.stored.has(id)) return undefined
    const held = await heldMessage(this.components.db, id)
    if (held === undefined || !takesOverStored(claim, held)) throw idRefusal(held?.author, claim.author)
    return held
  }

  /** The writes that take a copier's message out (the store, the search index, its conversation's record), their undo, and what tells the app. */
  private takeOut (copy: MessageRecord): Displaced & { undo: () => void } {
    const kind = this.summaries[copy.channel === undefined ? 'direct' : 'channel']
    const summary = kind?.forget(copy) ?? { ops: [], undo: () => {} }
    return {
      ops: [...displacedMessageOps(this.components.db, copy), ...this.components.search.removeOps(copy), ...summary.ops],
      undo: summary.undo,
      announce: () => { kind?.announce(copy) }
    }
  }
}
