// A 1:1 conversation's id is derived from its two members' device keys, so both sides name it
// the same way without agreeing on anything (the computation: crypto/log/conversation-ids.ts).
import { directConversationIdWith } from './log/conversation-ids.js'
import { sha256 } from './sha256.js'

export function directConversationId (a: Uint8Array, b: Uint8Array): string {
  return directConversationIdWith(sha256, a, b)
}
