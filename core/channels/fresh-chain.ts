// Whether a fresh sender key chain of a sender whose record we hold may come in (a rotation, or a
// made-up one). Each is journaled, and the journal is never trimmed: a colleague made up chains
// without end (200 entries in 2 s, session 29). A sender the channel's log does not name as a member
// (no log here, or a log without it: not yet, or not at all) stops at the chains a record keeps
// (session 29 for a channel without a log, session 30 for one whose log we hold). A member waits,
// answered SENDER_KEY_TOO_SOON (a retry-later answer: its sender keeps the distribution and tries
// again), while MAX_UNUSED_SENDER_CHAINS of its chains carried no message stored here: an honest
// member starts a chain only to send on it (docs/channels.md §3), so its chains carry messages, and
// a fresh chain past the bound then costs a message stored, shown and journaled as any (session 30).
import { equals } from '../../crypto/encoding.js'
import { carriedNothing, DEFAULT_SENDER_KEY_LIMITS, type SenderKeyRecord } from '../../crypto/e2e/sender-key.js'
import type { ErrorCode } from '../errors.js'
import { MAX_UNUSED_SENDER_CHAINS } from '../protocol/limits.js'

export interface FreshChainRefusal { code: ErrorCode, message: string }

/** Why a fresh chain of `held`'s sender is not taken now; `members`: the devices the channel's log names, undefined without a log. */
export function freshChainRefusal (members: readonly Uint8Array[] | undefined, held: SenderKeyRecord): FreshChainRefusal | undefined {
  if (members?.some(device => equals(device, held.sender)) !== true) {
    if (held.chains.length < DEFAULT_SENDER_KEY_LIMITS.maxChainsPerSender) return undefined
    return { code: 'CHANNEL_NOT_MEMBER', message: `this device already gave us ${held.chains.length} sender key chains of a channel ${members === undefined ? 'whose log we do not hold' : 'whose log does not name it a member'}` }
  }
  const unused = held.chains.filter(carriedNothing).length
  if (unused < MAX_UNUSED_SENDER_CHAINS) return undefined
  return { code: 'SENDER_KEY_TOO_SOON', message: `${unused} sender key chains of this member carried no message here yet: sent again later, it is taken once one has` }
}
