// The body of a message, 1:1 or channel: UTF-8 JSON with its text and what it does to an earlier
// message (docs/log-format.md §1). The statement commits to the body (salted hash) and the author
// signs the statement, so replies, reactions, edits and retractions are signed like the text; the
// journal discloses the body as it is.
//
// One kind per body:
//   a message        { text, replyTo?, quote?, attachments? }   replyTo: a thread (channels); quote:
//                    reply with quote; attachments: 1 to 10 files (text may then be empty)
//   a reaction       { text: '', replyTo, reaction, removed? }   removed: takes our reaction back
//   an edit          { text, edit }               the new text of one of our messages
//   a retraction     { text: '', retract }        deletes one of our messages
// An attachment is a file's descriptor (core/files/descriptor.ts: its key, name, size, type and
// SHA-256, so the signature covers them) with an image's `width` and `height` and its `preview`: the
// descriptor of a small image (JPEG, PNG or WebP, at most 64 KiB) fetched before the file.
// A body that does not start with `{` is plain text: 1:1 messages stored before this format (and
// sent by an older node) were their bare text. One that does must be a body by these rules.
import { z } from 'zod'
import { MESSAGE_ID_BYTES } from '../../crypto/statement.js'
import { CausetteError, isCausetteError } from '../errors.js'
import { MAX_ATTACHMENTS, parseBodyAttachment, type BodyAttachment } from '../files/body-attachment.js'
import { attachmentId } from '../files/descriptor.js'

/** One emoji or a short word: what a reaction shows. */
export const MAX_REACTION_CHARS = 32
const MESSAGE_ID = z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil(MESSAGE_ID_BYTES * 4 / 3)}}$`), 'a message id')
const REACTION = z.string().min(1).max(MAX_REACTION_CHARS).regex(/^[^\p{Cc}\s]+$/u, 'a reaction is one emoji or short word')

/** The file fields are checked by core/files (FILE_BAD_DESCRIPTOR names what is wrong). */
const AttachmentSchema = z.unknown().transform((value, ctx): BodyAttachment => {
  try {
    return parseBodyAttachment(value)
  } catch (error) {
    if (!isCausetteError(error)) throw error
    ctx.addIssue({ code: 'custom', message: error.message })
    return z.NEVER
  }
})

const MessageBodySchema = z.object({
  text: z.string(),
  attachments: z.array(AttachmentSchema).min(1).max(MAX_ATTACHMENTS).optional(),
  replyTo: MESSAGE_ID.optional(),
  quote: MESSAGE_ID.optional(),
  reaction: REACTION.optional(),
  removed: z.literal(true).optional(),
  edit: MESSAGE_ID.optional(),
  retract: MESSAGE_ID.optional()
}).strict()

export type MessageBody = z.output<typeof MessageBodySchema>

/** What a body does to an earlier message, if anything. */
export type Amendment =
  | { kind: 'edit', target: string, text: string }
  | { kind: 'retract', target: string }
  | { kind: 'reaction', target: string, emoji: string, removed: boolean }

/** The rule each kind keeps; undefined when the body keeps it. */
function ruleBroken (body: MessageBody): string | undefined {
  const kinds = [body.reaction !== undefined, body.edit !== undefined, body.retract !== undefined].filter(Boolean).length
  if (kinds > 1) return 'a body is one of a message, a reaction, an edit or a retraction'
  if (body.attachments !== undefined) return attachmentRuleBroken(body, body.attachments)
  if (body.removed !== undefined && body.reaction === undefined) return '"removed" takes back a reaction'
  if (body.reaction !== undefined) {
    if (body.replyTo === undefined || body.text !== '' || body.quote !== undefined) return 'a reaction names the message it reacts to (replyTo) and has no text'
    return undefined
  }
  if (body.edit !== undefined) {
    if (body.text.trim() === '' || body.replyTo !== undefined || body.quote !== undefined) return 'an edit is the new, non-empty text of one message'
    return undefined
  }
  if (body.retract !== undefined) {
    if (body.text !== '' || body.replyTo !== undefined || body.quote !== undefined) return 'a retraction names one message and has no text'
    return undefined
  }
  if (body.text.trim() === '') return 'a message has text'
  return undefined
}

function attachmentRuleBroken (body: MessageBody, attachments: BodyAttachment[]): string | undefined {
  if (body.reaction !== undefined || body.edit !== undefined || body.retract !== undefined) return 'only a message carries attachments'
  const ids = attachments.flatMap(a => [attachmentId(a), ...(a.preview !== undefined ? [attachmentId(a.preview)] : [])])
  if (new Set(ids).size !== ids.length) return 'a message names each file once'
  return undefined
}

const CheckedBody = MessageBodySchema.transform((body, ctx) => {
  const broken = ruleBroken(body)
  if (broken !== undefined) {
    ctx.addIssue({ code: 'custom', message: broken })
    return z.NEVER
  }
  return body
})

function issues (error: z.ZodError): string {
  return error.issues.map(i => i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message).join('; ')
}

/** The exact body text to sign; throws BAD_REQUEST for a body out of its rules. */
export function encodeBody (body: MessageBody): string {
  const checked = CheckedBody.safeParse(body)
  if (!checked.success) throw new CausetteError('BAD_REQUEST', `a message body: ${issues(checked.error)}`)
  return JSON.stringify(checked.data)
}

/**
 * The body of a received message; BAD_STATEMENT (saying why) if it is JSON out of the rules. The
 * same text is parsed once: receiving, storing, indexing and each view of a message read its body,
 * and the schema check is most of what reading costs. What is returned is frozen, shared by all.
 */
export function parseBody (text: string): MessageBody {
  if (!text.startsWith('{')) return { text }
  const known = parsedBodies.get(text)
  if (known !== undefined) return known
  let json: unknown
  try { json = JSON.parse(text) } catch { throw new CausetteError('BAD_STATEMENT', 'a message body that starts with "{" is JSON') }
  const checked = CheckedBody.safeParse(json)
  if (!checked.success) throw new CausetteError('BAD_STATEMENT', `a message body out of its rules: ${issues(checked.error)}`)
  return remember(text, deepFreeze(checked.data))
}

/** The bodies parsed last, by their text: a message's body is read a few times within moments. */
const parsedBodies = new Map<string, MessageBody>()
const MAX_PARSED_BODIES = 256
/** Longer texts are parsed each time, so that the cache holds at most ~4 MiB of text. */
const MAX_CACHED_BODY_CHARS = 8192

function remember (text: string, body: MessageBody): MessageBody {
  if (text.length > MAX_CACHED_BODY_CHARS) return body
  if (parsedBodies.size >= MAX_PARSED_BODIES) parsedBodies.delete(parsedBodies.keys().next().value!)
  parsedBodies.set(text, body)
  return body
}

/** Frozen all the way down (a body is plain JSON values), so that no reader can change another's. */
function deepFreeze<T> (value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  for (const field of Object.values(value)) deepFreeze(field)
  return Object.freeze(value)
}

/** A stored body as shown: one that no longer parses is shown as the text it is. */
export function storedBody (text: string): MessageBody {
  try { return parseBody(text) } catch { return { text } }
}

/** What `body` does to an earlier message; undefined for an ordinary message. */
export function amendmentOf (body: MessageBody): Amendment | undefined {
  if (body.edit !== undefined) return { kind: 'edit', target: body.edit, text: body.text }
  if (body.retract !== undefined) return { kind: 'retract', target: body.retract }
  if (body.reaction !== undefined && body.replyTo !== undefined) return { kind: 'reaction', target: body.replyTo, emoji: body.reaction, removed: body.removed === true }
  return undefined
}
