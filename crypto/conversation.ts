// A 1:1 conversation's id is derived from its two members' device keys, so both sides name it
// the same way without agreeing on anything.
import { CONVERSATION_ID_BYTES } from './statement.js'
import { concat, toBase64, toBase64Url, utf8 } from './encoding.js'
import { sha256 } from './sha256.js'

export function directConversationId (a: Uint8Array, b: Uint8Array): string {
  const members = [toBase64(a), toBase64(b)].sort()
  const digest = sha256(concat([utf8('causette/conversation/v1\n'), utf8(members.join('\n'))]))
  return toBase64Url(digest.subarray(0, CONVERSATION_ID_BYTES))
}
