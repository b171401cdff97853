// The body of a channel message: its text and, for a reply in a thread or a reaction, the message
// it answers. The statement commits to the body (salted hash) and the author signs the statement,
// so threads and reactions are signed like the text; the journal discloses the body as it is.
import { z } from 'zod'
import { MESSAGE_ID_BYTES } from '../../crypto/statement.js'
import { CausetteError } from '../errors.js'

/** One emoji or a short word: what a reaction shows. */
export const MAX_REACTION_CHARS = 32
const MESSAGE_ID = z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil(MESSAGE_ID_BYTES * 4 / 3)}}$`))

const ChannelBody = z.object({
  text: z.string(),
  replyTo: MESSAGE_ID.optional(),
  reaction: z.string().min(1).max(MAX_REACTION_CHARS).regex(/^[^\p{Cc}\s]+$/u).optional()
}).strict().refine(b => b.reaction === undefined || (b.replyTo !== undefined && b.text === ''), 'a reaction names the message it reacts to and has no text')

export type ChannelBody = z.infer<typeof ChannelBody>

/** The exact body text to sign; throws BAD_REQUEST for a body out of its rules. */
export function encodeChannelBody (body: ChannelBody): string {
  const checked = ChannelBody.safeParse(body)
  if (!checked.success) throw new CausetteError('BAD_REQUEST', `a channel message: ${checked.error.issues.map(i => i.message).join('; ')}`)
  return JSON.stringify(checked.data)
}

/** The body of a received message; BAD_STATEMENT if it is not one. */
export function parseChannelBody (text: string): ChannelBody {
  let json: unknown
  try { json = JSON.parse(text) } catch { throw new CausetteError('BAD_STATEMENT', 'a channel message body is JSON') }
  const checked = ChannelBody.safeParse(json)
  if (!checked.success) throw new CausetteError('BAD_STATEMENT', 'a channel message body out of its rules')
  return checked.data
}
