// The one membership rule a channel entry must meet to be held at all (docs/log-format.md §1.2): its
// signer was made a member, before it, by the channel's create entry (its signer), by an invite
// (its device) or by its own join among the entry's parents and their ancestors. Two kinds differ:
// an `open` entry is the creator's alone, and a `join` (a device making itself a member) is held only
// in an open channel, with the creator's `open` entry among its ancestors. The channel log applies it to every
// entry it takes (crypto/channel-log.ts) and the journal verifier to every channel entry of an
// export (crypto/log/verify-log-entries.ts), so a node never journals an entry its export would fail
// on. Whether the entry then takes effect is the log's ordering rules' business (docs/channels.md).
// Pure: keys are base64 strings of entry hashes and device keys.
import { toBase64 } from './encoding.js'
import type { ChannelEntry } from './channel-entry.js'

/**
 * What the rule needs of an entry already held (one that met the rule itself): its parents' keys, its
 * signer and, for a create, an invite or a join, the device it makes a member.
 */
export interface AncestryNode { parents: readonly string[], signer: string, joins?: string, opens?: boolean }

/** The device (base64) a create, an invite or a join entry makes a member; undefined for the other kinds. */
export function deviceJoinedBy (entry: ChannelEntry): string | undefined {
  if (entry.kind === 'create' || entry.kind === 'join') return toBase64(entry.signer)
  if (entry.kind === 'invite') return toBase64(entry.device)
  return undefined
}

/** What the rule keeps of a held entry for the entries after it. */
export function ancestryNode (entry: ChannelEntry, parents: readonly string[]): AncestryNode {
  const node: AncestryNode = { parents, signer: toBase64(entry.signer) }
  const joins = deviceJoinedBy(entry)
  if (joins !== undefined) node.joins = joins
  if (entry.kind === 'open') node.opens = true
  return node
}

/**
 * The whole rule: may an entry of `kind` by `signer` after `parents` be held? An `open` entry by
 * the creator alone; a `join` only with an `open` entry among its ancestors (a private channel has
 * none, so nobody joins it uninvited, not even a former member); any other kind by a member made
 * so before it (madeMemberBefore).
 */
export function mayHoldEntry (entry: { kind: ChannelEntry['kind'], creator: string, signer: string, parents: readonly string[] }, nodeOf: (key: string) => AncestryNode): boolean {
  if (entry.kind === 'open') return entry.signer === entry.creator
  if (entry.kind === 'join') return someAncestor(entry.parents, nodeOf, node => node.opens === true)
  return madeMemberBefore(entry, nodeOf)
}

/** Does an entry among `parents` and their ancestors match? */
function someAncestor (parents: readonly string[], nodeOf: (key: string) => AncestryNode, match: (node: AncestryNode) => boolean): boolean {
  const seen = new Set<string>()
  const stack = [...parents]
  while (stack.length > 0) {
    const key = stack.pop()!
    if (seen.has(key)) continue
    seen.add(key)
    const node = nodeOf(key)
    if (match(node)) return true
    stack.push(...node.parents)
  }
  return false
}

/**
 * Does the create, an invite or a join among `parents` and all their ancestors make `signer` a member?
 * `nodeOf` must know every ancestor. The creator needs no walk: every entry of a channel descends
 * from its create entry. The walk stops at the first held entry by the same signer too: that entry
 * met the rule, so an invite of the signer is among its ancestors (a member's run of entries costs
 * one step each, not a walk back to its invite).
 */
function madeMemberBefore (entry: { creator: string, signer: string, parents: readonly string[] }, nodeOf: (key: string) => AncestryNode): boolean {
  if (entry.signer === entry.creator) return true
  return someAncestor(entry.parents, nodeOf, node => node.joins === entry.signer || node.signer === entry.signer)
}
