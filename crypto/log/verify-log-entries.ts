// Checks the journal's `membership` and `channel-entry` leaves (docs/log-format.md §1, §5): the
// entry's exact bytes parse as their format (causette/membership/v1, causette/channel/v1), verify
// under the signer they name, and agree with the leaf's fields; an admission's join request is signed
// by the device it admits and by the invite key. A channel entry's signer must have been made a
// member (the create, or an invite) in the entry's causal past, which the export must hold from the
// channel's create entry on (ChannelMembership keeps it, one channel at a time, for the whole file):
// the rule of crypto/channel-membership-rule.ts, which the node's channel log applies before it
// journals an entry. A membership fork leaf carries the dropped branch's first entry, checked alike.
import { equals, toBase64, toBase64Url } from '../encoding.js'
import { decodeBase64 } from '../base64.js'
import { parseEntry, parseJoinRequest, type MembershipEntry } from '../membership-entry.js'
import { parseChannelEntry, type ChannelEntry } from '../channel-entry.js'
import { ancestryNode, mayHoldEntry, type AncestryNode } from '../channel-membership-rule.js'
import type { LeafObject } from './canonical-json.js'
import type { LogPrimitives, SignatureCheck } from './primitives.js'

export const MEMBERSHIP_SIGNATURE_FAILS = 'the membership entry\'s signature does not verify'
/** Why a channel entry breaks the membership rule, by its kind. */
const CHANNEL_RULE_FAILS: Partial<Record<string, string>> = {
  open: 'the channel\'s open entry is signed by another device than its creator',
  join: 'a device joined a channel that is not open: no open entry before its join',
  member: 'the channel entry is signed by a device that is not a member: no create or invite made it one before it'
}
export const CHANNEL_SIGNATURE_FAILS = 'the channel entry\'s signature does not verify'

/** A leaf that does not check out; the export verifier names its line and entry. */
export class EntryCheckError extends Error {
  override name = 'EntryCheckError'
  readonly code = 'BAD_JOURNAL_ENTRY'
}

function fail (why: string): never {
  throw new EntryCheckError(why)
}

/** Checks one signature now, or hands it over to be checked in a batch (it then carries its reason). */
export type CheckSignature = (check: SignatureCheck) => void

export function signatureChecker (primitives: LogPrimitives, defer?: CheckSignature): CheckSignature {
  if (defer !== undefined) return defer
  return check => { if (!primitives.ed25519Verify(check.publicKey, check.message, check.signature)) fail(check.reason ?? 'a signature does not verify') }
}

/** The exact bytes and signature a membership or channel-entry leaf carries. */
function signedBytes (fields: LeafObject, what: string): { bytes: Uint8Array, signature: Uint8Array } {
  const bytes = typeof fields.entry === 'string' ? decodeBase64(fields.entry) : undefined
  const signature = typeof fields.signature === 'string' ? decodeBase64(fields.signature, 64) : undefined
  if (bytes === undefined || signature === undefined) fail(`the ${what} entry and its signature must be base64`)
  return { bytes, signature }
}

function parsed<T> (parse: () => T, what: string): T {
  try { return parse() } catch (error) { return fail(`the ${what} entry: ${(error as Error).message.replace(/^(membership|channel): /, '')}`) }
}

/**
 * A fork leaf (docs/log-format.md §1.1, "A fork"): its entry is the dropped branch's first, checked
 * like any other, at the leaf's seq; `kept` is the SHA-256 of the kept branch's first entry, another one.
 */
function checkForkLeaf (primitives: LogPrimitives, fields: LeafObject, entry: MembershipEntry, bytes: Uint8Array): void {
  if (entry.kind === 'genesis') fail('a fork leaf\'s dropped entry is a genesis: a fork starts after it')
  if (fields.seq !== entry.seq) fail('the fork leaf\'s seq differs from its dropped entry\'s')
  const kept = typeof fields.kept === 'string' ? decodeBase64(fields.kept, 32) : undefined
  if (kept === undefined) fail('a fork leaf\'s kept must be base64 of a 32-byte SHA-256')
  if (equals(kept, primitives.sha256(bytes))) fail('a fork leaf keeps the entry it drops')
}

export function checkMembershipLeaf (primitives: LogPrimitives, fields: LeafObject, check: CheckSignature): void {
  const { bytes, signature } = signedBytes(fields, 'membership')
  const entry: MembershipEntry = parsed(() => parseEntry(bytes), 'membership')
  check({ publicKey: entry.signer, message: bytes, signature, reason: MEMBERSHIP_SIGNATURE_FAILS })
  if (fields.change === 'fork') checkForkLeaf(primitives, fields, entry, bytes)
  else if (fields.kept !== undefined) fail('only a fork leaf has kept')
  else if (fields.change !== entry.kind || fields.seq !== entry.seq) fail('the leaf\'s change or seq differs from its membership entry')
  if (typeof fields.workspace !== 'string') fail('the membership leaf names no workspace')
  if (entry.kind === 'genesis' && fields.workspace !== toBase64Url(primitives.sha256(bytes))) fail('the workspace id is not the hash of its genesis entry')
  if (entry.kind === 'admit') {
    const request = parsed(() => parseJoinRequest(entry.request), 'membership')
    if (!equals(request.invite, entry.invite)) fail('the join request was made for another invite than the one it is admitted with')
    check({ publicKey: request.device, message: entry.request, signature: entry.requestSignature, reason: 'the join request is not signed by the device it names' })
    check({ publicKey: entry.invite, message: entry.request, signature: entry.inviteSignature, reason: 'the join request is not signed with the invite key' })
  }
}

/**
 * The channel entries seen so far in a file, by channel: each one's parents and, for a create or an
 * invite, the device it made a member. Memory: one small record per channel entry in the file.
 */
export class ChannelMembership {
  readonly #channels = new Map<string, { creator: string, nodes: Map<string, AncestryNode> }>()

  check (primitives: LogPrimitives, fields: LeafObject, check: CheckSignature): void {
    const { bytes, signature } = signedBytes(fields, 'channel')
    const entry: ChannelEntry = parsed(() => parseChannelEntry(bytes), 'channel')
    check({ publicKey: entry.signer, message: bytes, signature, reason: CHANNEL_SIGNATURE_FAILS })
    if (fields.change !== entry.kind) fail('the leaf\'s change differs from its channel entry')
    const hash = toBase64(primitives.sha256(bytes))
    const channel = entry.kind === 'create' ? toBase64Url(primitives.sha256(bytes)) : entry.channel
    if (fields.channel !== channel) fail(entry.kind === 'create' ? 'the channel id is not the hash of its create entry' : 'the leaf names another channel than its entry')
    if (entry.kind === 'create') {
      if (this.#channels.has(channel)) fail('a second create entry for the channel')
      const creator = toBase64(entry.signer)
      this.#channels.set(channel, { creator, nodes: new Map([[hash, { parents: [], signer: creator, joins: creator }]]) })
      return
    }
    const { creator, nodes } = this.#channels.get(channel) ?? fail('the channel\'s create entry is not before it in the export')
    if (nodes.has(hash)) return
    const parents = entry.parents.map(toBase64)
    if (parents.some(p => !nodes.has(p))) fail('a parent of the channel entry is not before it in the export')
    const signer = toBase64(entry.signer)
    if (!mayHoldEntry({ kind: entry.kind, creator, signer, parents }, key => nodes.get(key)!)) fail(CHANNEL_RULE_FAILS[entry.kind] ?? CHANNEL_RULE_FAILS.member!)
    nodes.set(hash, ancestryNode(entry, parents))
  }
}
