// The one membership rule a channel entry must meet to be held at all (docs/log-format.md §1.2): its
// signer was made a member, before it, by the channel's create entry (its signer) or by an invite
// (its device) among the entry's parents and their ancestors. The channel log applies it to every
// entry it takes (crypto/channel-log.ts) and the journal verifier to every channel entry of an
// export (crypto/log/verify-log-entries.ts), so a node never journals an entry its export would fail
// on. Whether the entry then takes effect is the log's ordering rules' business (docs/channels.md).
// Pure: keys are base64 strings of entry hashes and device keys.
import { toBase64 } from './encoding.js'
import type { ChannelEntry } from './channel-entry.js'

/**
 * What the rule needs of an entry already held (one that met the rule itself): its parents' keys, its
 * signer and, for a create or an invite, the device it makes a member.
 */
export interface AncestryNode { parents: readonly string[], signer: string, joins?: string }

/** The device (base64) a create or an invite entry makes a member; undefined for the other kinds. */
export function deviceJoinedBy (entry: ChannelEntry): string | undefined {
  if (entry.kind === 'create') return toBase64(entry.signer)
  if (entry.kind === 'invite') return toBase64(entry.device)
  return undefined
}

/**
 * Does the create or an invite among `parents` and all their ancestors make `signer` a member?
 * `nodeOf` must know every ancestor. The creator needs no walk: every entry of a channel descends
 * from its create entry. The walk stops at the first held entry by the same signer too: that entry
 * met the rule, so an invite of the signer is among its ancestors (a member's run of entries costs
 * one step each, not a walk back to its invite).
 */
export function madeMemberBefore (entry: { creator: string, signer: string, parents: readonly string[] }, nodeOf: (key: string) => AncestryNode): boolean {
  if (entry.signer === entry.creator) return true
  const seen = new Set<string>()
  const stack = [...entry.parents]
  while (stack.length > 0) {
    const key = stack.pop()!
    if (seen.has(key)) continue
    seen.add(key)
    const node = nodeOf(key)
    if (node.joins === entry.signer || node.signer === entry.signer) return true
    stack.push(...node.parents)
  }
  return false
}
