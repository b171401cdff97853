// The kinds of journal entries and the fields each one has, shared by the builders
// (core/journal/entry.ts) and the verifier. The verifier reads only what it checks.
export const ENTRY_KINDS = ['message-sent', 'message-received', 'receipt', 'key-pin', 'key-change', 'membership', 'carry', 'channel-entry', 'sender-key', 'update', 'file-fault', 'startup', 'shutdown', 'export'] as const
export type EntryKind = typeof ENTRY_KINDS[number]

export const MESSAGE_KINDS: readonly EntryKind[] = ['message-sent', 'message-received']
export const RECEIPT_KINDS = ['delivered', 'read'] as const
export const KEY_DECISIONS = ['accepted', 'blocked'] as const
/** What a carrier did with ciphertext it holds for an absent member: took it, handed it over, saw it refused for good, dropped it unclaimed. */
export const CARRY_ACTIONS = ['held', 'handed-over', 'refused', 'expired'] as const
/** A sender key distribution (a channel's sending chain handed to one member): sent or received. */
export const SENDER_KEY_DIRECTIONS = ['sent', 'received'] as const

export function isEntryKind (value: unknown): value is EntryKind {
  return (ENTRY_KINDS as readonly unknown[]).includes(value)
}

export function isMessageKind (kind: EntryKind): boolean {
  return MESSAGE_KINDS.includes(kind)
}

/** What a node did with a release or a pause decision (core/update): kept one an admin applied or a colleague announced, refused one, fetched its file, handed it to the installer, paused or resumed. */
export const UPDATE_ACTIONS = ['applied', 'adopted', 'refused', 'fetched', 'handed-over', 'paused', 'resumed'] as const
