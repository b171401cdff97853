// How one state change moves one of our messages. A 1:1 message has one state; a channel message
// keeps its own `sent` and one entry per member it went to (MessageRecord.members), moved by that
// member's ack or receipt. States only move up RANK, so acks, carriers' acks and receipts arriving in
// any order never move anything backwards. The moment a message, or a member's copy, turns delivered
// it is marked silent if the recipient was in focus for its conversation then (never when urgent).
import type { MessageState } from '../store/records.js'
import type { MemberDelivery, MessageRecord } from '../store/records.js'

export interface StateChange {
  peer: string
  /** The message id (for a receipt, an id it names; for an ack, the outbox item's message or own id) */
  id: string
  state: MessageState
  time: number
  reason?: string
  /** The conversation a receipt names: it moves only messages of that conversation. */
  conversation?: string
}

/** The recipient's focus in a conversation: when it ends (null: no end), undefined when not in focus. */
export type SilentUntil = (peer: string, conversation: string) => number | null | undefined

/** States only move up this order; `failed` can still become delivered (a receipt proves it was). */
export const RANK: Record<MessageState, number> = { queued: 0, sent: 1, failed: 2, delivered: 3, read: 4 }

/**
 * Whether `change` may move `record`: one of our messages, sent to that peer (1:1) or to that member
 * (channel), in the conversation the receipt names. A receipt naming anything else moves nothing.
 */
export function concerns (record: MessageRecord, change: StateChange): boolean {
  if (record.direction !== 'out') return false
  if (change.conversation !== undefined && change.conversation !== record.conversation) return false
  return record.channel !== undefined ? record.members?.[change.peer] !== undefined : record.peer === change.peer
}

/** `record` after `change` (one it concerns), or undefined when the change does not move it. */
export function applyChange (record: MessageRecord, change: StateChange, silentUntil: SilentUntil): MessageRecord | undefined {
  return record.channel !== undefined ? moveMember(record, change, silentUntil) : moveMessage(record, change, silentUntil)
}

function moveMessage (record: MessageRecord, change: StateChange, silentUntil: SilentUntil): MessageRecord | undefined {
  if (RANK[change.state] <= RANK[record.state]) return undefined
  const { stateReason: _, ...rest } = record
  return {
    ...rest,
    state: change.state,
    stateTime: change.time,
    stateTimes: { ...record.stateTimes, [change.state]: change.time },
    ...(change.reason !== undefined ? { stateReason: change.reason } : {}),
    ...silence(record, change, record.state, silentUntil)
  }
}

function moveMember (record: MessageRecord, change: StateChange, silentUntil: SilentUntil): MessageRecord | undefined {
  const member = record.members![change.peer]!
  if (change.state === 'queued' || RANK[change.state] <= RANK[member.state]) return undefined
  const { reason: _, ...rest } = member
  const moved: MemberDelivery = {
    ...rest,
    state: change.state,
    time: change.time,
    ...(change.reason !== undefined ? { reason: change.reason } : {}),
    ...silence(record, change, member.state, silentUntil)
  }
  return { ...record, members: { ...record.members, [change.peer]: moved } }
}

/** The silent mark to add as the message (or copy) turns delivered, asked of presence at that moment. */
function silence (record: MessageRecord, change: StateChange, from: MessageState, silentUntil: SilentUntil): { silentUntil?: number | null } {
  if (record.urgent !== undefined || RANK[from] >= RANK.delivered || RANK[change.state] < RANK.delivered) return {}
  const until = silentUntil(change.peer, record.conversation)
  return until === undefined ? {} : { silentUntil: until }
}
