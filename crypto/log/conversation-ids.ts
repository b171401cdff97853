// The ids a statement's `conversation:` names (docs/log-format.md §1, "Which conversation a message
// names"): a 1:1 conversation's, derived from its two members' device keys, so both sides name it
// the same way without agreeing on anything; a channel's, the start of the channel id. Pure, with
// SHA-256 passed in, so that the browser's verifier computes them as the node does.
import { CONVERSATION_ID_BYTES } from '../statement.js'
import { concat, fromBase64Url, toBase64, toBase64Url, utf8 } from '../encoding.js'

const DIRECT_LABEL = 'causette/conversation/v1\n'

/** SHA-256 of the label and the two keys' base64, sorted, one per line; the first 16 bytes, base64url. */
export function directConversationIdWith (sha256: (input: Uint8Array) => Uint8Array, a: Uint8Array, b: Uint8Array): string {
  const members = [toBase64(a), toBase64(b)].sort()
  const digest = sha256(concat([utf8(DIRECT_LABEL), utf8(members.join('\n'))]))
  return toBase64Url(digest.subarray(0, CONVERSATION_ID_BYTES))
}

/** The conversation id a channel's statements name (16 bytes, as statements take): the start of the channel id. */
export function channelConversationId (channelId: string): string {
  return toBase64Url(fromBase64Url(channelId).subarray(0, CONVERSATION_ID_BYTES))
}
