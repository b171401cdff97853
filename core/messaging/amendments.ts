// What later messages did to an earlier one: its edits, its retraction, the reactions to it. Each
// is a signed message of its own, stored and journaled like any other (the history stays whole);
// the message as shown is the original with them applied. An edit or retraction counts only when its
// author wrote the original, in the same conversation: a receiver refuses one of someone else's
// message it holds, and one that came before its original is kept and applied only if it passes
// then (the original's author is known only when it arrives).
import { CausetteError } from '../errors.js'
import { byConversationOrder, heldMessage, type Database } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import { authorTagField, nameTagField } from '../names.js'
import { amendmentOf, encodeBody, storedBody, type Amendment, type MessageBody } from './body.js'

export interface Version { text: string, time: number }
export interface ReactionSummary { emoji: string, authors: string[] }

/** A message with what later messages did to it. */
export interface Amended {
  body: MessageBody
  /** Its current text: '' once deleted. */
  text: string
  /** Every text it had, oldest first, when it was edited (and not deleted). */
  versions?: Version[]
  deleted: boolean
  /** Reactions in force, by emoji in the order they first came; each author once. */
  reactions: ReactionSummary[]
}

type AmendmentsDb = Pick<Database, 'messages' | 'messageIndex' | 'amendments'>

/**
 * Refuses an amendment by `author` in `conversation` that its target, if held, does not allow: an
 * edit or retraction of someone else's message, anything naming a message of another conversation,
 * or an edit, retraction or reaction of an amendment.
 */
export function checkAmendment (amendment: Amendment, author: string, conversation: string, target: MessageRecord | undefined): void {
  if (target === undefined) return
  if (target.conversation !== conversation) throw new CausetteError('AMEND_BAD_TARGET', 'the message named is in another conversation')
  if (target.amends !== undefined) throw new CausetteError('AMEND_BAD_TARGET', 'the message named is itself an edit, a deletion or a reaction')
  if (amendment.kind !== 'reaction' && target.author !== author) throw new CausetteError('AMEND_NOT_AUTHOR', 'only its author may edit or delete a message')
}

/** The stored messages that amend `target`, those that apply to it, in the order their authors sent them. */
async function amendmentsOf (db: AmendmentsDb, target: MessageRecord): Promise<Array<{ record: MessageRecord, amendment: Amendment }>> {
  const keys: string[] = []
  for await (const key of db.amendments.values({ gt: `${target.id}!`, lt: `${target.id}!\uffff` })) keys.push(key)
  if (keys.length === 0) return []
  const records = (await db.messages.getMany(keys)).filter((r): r is MessageRecord => r !== undefined)
  return records
    .map(record => ({ record, amendment: amendmentOf(storedBody(record.text)) }))
    .filter((a): a is { record: MessageRecord, amendment: Amendment } => a.amendment !== undefined && applies(a.amendment, a.record, target))
    // The conversation's order: arrival here, each author's own order (seq) kept; never the author's clock.
    .sort((a, b) => byConversationOrder(a.record, b.record))
}

function applies (amendment: Amendment, record: MessageRecord, target: MessageRecord): boolean {
  if (record.conversation !== target.conversation || target.amends !== undefined) return false
  return amendment.kind === 'reaction' || record.author === target.author
}

/** `message` as shown: its current text, earlier versions, deletion and reactions. */
export async function amended (db: AmendmentsDb, message: MessageRecord): Promise<Amended> {
  const body = storedBody(message.text)
  const found = await amendmentsOf(db, message)
  if (found.some(a => a.amendment.kind === 'retract')) return { body, text: '', deleted: true, reactions: [] }
  const edits = found.flatMap(a => a.amendment.kind === 'edit' ? [{ text: a.amendment.text, time: a.record.time }] : [])
  const reactions = reactionsOf(found.flatMap(a => a.amendment.kind === 'reaction' ? [{ author: a.record.author, emoji: a.amendment.emoji, removed: a.amendment.removed }] : []))
  return {
    body,
    text: edits.at(-1)?.text ?? body.text,
    ...(edits.length > 0 ? { versions: [{ text: body.text, time: message.time }, ...edits] } : {}),
    deleted: false,
    reactions
  }
}

/** The reactions in force: each author's latest word on each emoji wins. */
export function reactionsOf (events: Array<{ author: string, emoji: string, removed: boolean }>): ReactionSummary[] {
  const byEmoji = new Map<string, Set<string>>()
  for (const event of events) {
    const authors = byEmoji.get(event.emoji) ?? new Set<string>()
    if (event.removed) authors.delete(event.author)
    else authors.add(event.author)
    byEmoji.set(event.emoji, authors)
  }
  return [...byEmoji].filter(([, authors]) => authors.size > 0).map(([emoji, authors]) => ({ emoji, authors: [...authors] }))
}

/** How many characters of a quoted message a reply shows. */
export const QUOTE_EXCERPT_CHARS = 200

export interface ShownReaction { emoji: string, count: number, authors: Array<{ peerId: string, name: string, nameTag?: string }>, mine: boolean }
export interface ShownQuote { id: string, held: boolean, author?: string, authorName?: string, authorTag?: string, text: string, deleted: boolean }

/** How the people a message names are named: by name, and by tag when another colleague goes by it too (core/names.ts). */
export interface ShownNames {
  nameOf: (peerId: string) => string
  tagOf: (peerId: string) => string | undefined
}

/** What the API shows of a message beyond its record (core/api/schema.ts: MessageView, ChannelMessageView). */
export interface Shown {
  text: string
  edited?: true
  versions?: Version[]
  deleted?: true
  replyTo?: string
  quote?: ShownQuote
  reactions?: ShownReaction[]
}

/** `message` as the API shows it: amended, with its quote and its reactions by name (and tag). */
export async function shownMessage (db: AmendmentsDb, message: MessageRecord, names: ShownNames, self: string): Promise<Shown> {
  const state = await amended(db, message)
  const { body } = state
  if (state.deleted) return { text: '', deleted: true }
  return {
    text: state.text,
    ...(state.versions !== undefined ? { edited: true as const, versions: state.versions } : {}),
    ...(body.replyTo !== undefined ? { replyTo: body.replyTo } : {}),
    ...(body.quote !== undefined ? { quote: await quoteOf(db, body.quote, names) } : {}),
    ...(state.reactions.length > 0
      ? { reactions: state.reactions.map(r => ({ emoji: r.emoji, count: r.authors.length, authors: r.authors.map(peerId => ({ peerId, name: names.nameOf(peerId), ...nameTagField(names.tagOf(peerId)) })), mine: r.authors.includes(self) })) }
      : {})
  }
}

async function quoteOf (db: AmendmentsDb, id: string, names: ShownNames): Promise<ShownQuote> {
  const quoted = await heldMessage(db, id)
  if (quoted === undefined) return { id, held: false, text: '', deleted: false }
  const state = await amended(db, quoted)
  return { id, held: true, author: quoted.author, authorName: names.nameOf(quoted.author), ...authorTagField(names.tagOf(quoted.author)), text: state.text.slice(0, QUOTE_EXCERPT_CHARS), deleted: state.deleted }
}

/** What the API shows of a message before its amendments and quote are read: its own body. */
export function ownShown (message: MessageRecord): Shown {
  const body = storedBody(message.text)
  return {
    text: body.text,
    ...(body.replyTo !== undefined ? { replyTo: body.replyTo } : {}),
    ...(body.quote !== undefined ? { quote: { id: body.quote, held: false, text: '', deleted: false } } : {})
  }
}

/**
 * Our own message, just stored and without a quote, shows as its body says: nothing can amend it
 * before it is stored here. Only for a new message: an older one of ours may be edited since.
 */
export function showsAsItsBody (message: MessageRecord, self: string): boolean {
  return message.amends === undefined && message.author === self && ownShown(message).quote === undefined
}

/** What the user asks of one of the messages they see. */
export type AmendRequest =
  | { kind: 'edit', text: string }
  | { kind: 'retract' }
  | { kind: 'reaction', emoji: string, removed: boolean }

/**
 * The body that does `request` to the held message `id`, refused here as a receiver would refuse it
 * (someone else's message, a deleted one), and the message itself. No body when the message already
 * shows what the request asks (its text, our reaction or its absence, its deletion): a request sent
 * again after its answer was lost then sends nothing, rather than a second edit in the message's
 * versions, a deletion refused as "deleted", or a reaction spending the author's budget again.
 */
export async function amendmentBody (db: AmendmentsDb, id: string, request: AmendRequest, self: string): Promise<{ target: MessageRecord, body: MessageBody | undefined }> {
  const target = await heldMessage(db, id)
  if (target === undefined || target.amends !== undefined) throw new CausetteError('NOT_FOUND', 'no such message')
  const body: MessageBody = request.kind === 'edit'
    ? { text: request.text, edit: id }
    : request.kind === 'retract'
      ? { text: '', retract: id }
      : { text: '', replyTo: id, reaction: request.emoji, ...(request.removed ? { removed: true as const } : {}) }
  encodeBody(body) // a bad emoji or an empty edit is refused before anything else
  checkAmendment(amendmentOf(body)!, self, target.conversation, target)
  const shown = await amended(db, target)
  if (shown.deleted && request.kind !== 'retract') throw new CausetteError('AMEND_BAD_TARGET', 'the message was deleted')
  return { target, body: alreadyShown(request, shown, self) ? undefined : body }
}

/** Whether the message as shown already is what `request` asks. */
function alreadyShown (request: AmendRequest, shown: Amended, self: string): boolean {
  if (request.kind === 'retract') return shown.deleted
  if (request.kind === 'edit') return shown.text === request.text
  const ours = shown.reactions.some(reaction => reaction.emoji === request.emoji && reaction.authors.includes(self))
  return ours !== request.removed
}
