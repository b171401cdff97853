// A message id bound to its author (session 28, docs/log-format.md §1 "A message id bound to its
// author"): SHA-256 of a label, the author's device key and the body's salt. The salt travels inside
// the sealed payload and the statement commits to it (body-sha256), so whoever holds the message can
// check the id is its author's; a colleague who copies the id cannot, since the hash holds the
// author's key, not its own. Ids of earlier versions are 32 random bytes and prove nothing.
import { toBase64Url, utf8 } from './encoding.js'
import { sha256 } from './sha256.js'

const MESSAGE_ID_LABEL = utf8('causette/message-id/v1\n')

/** The id a message of `author` with body salt `salt` carries: base64url of 32 bytes, as any id. */
export function messageIdOf (author: Uint8Array, salt: Uint8Array): string {
  return toBase64Url(sha256(MESSAGE_ID_LABEL, author, salt))
}

/** Whether `id` is the one derived from `author` and `salt`: the message's id is provably its author's. */
export function isAuthorsId (id: string, author: Uint8Array, salt: Uint8Array): boolean {
  return messageIdOf(author, salt) === id
}
