// A message says something: a text, or files, or both. The send schemas let the text be empty for
// a message of files only; this refuses a message of nothing before it reaches the node.
import { CausetteError } from '../errors.js'

export function sentText (body: { text: string, attachments?: unknown[] | undefined }): string {
  if (body.text === '' && (body.attachments ?? []).length === 0) {
    throw new CausetteError('BAD_REQUEST', 'invalid body: text: give a text, or files in attachments')
  }
  return body.text
}
