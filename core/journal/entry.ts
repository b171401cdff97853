// What the journal records, one builder per kind. An entry becomes a leaf as canonical JSON bytes
// (crypto/log/canonical-json.ts): ASCII keys, integers, base64 or enum strings. Messages enter as the
// author's exact statement and signature; the body is committed by the statement's salted hash and
// stored elsewhere, so it can be withheld or erased without breaking the log.
import { canonicalJson, type LeafObject } from '../../crypto/log/canonical-json.js'
import type { CARRY_ACTIONS, EntryKind, KEY_DECISIONS, RECEIPT_KINDS, SENDER_KEY_DIRECTIONS, UPDATE_ACTIONS } from '../../crypto/log/entry-kinds.js'
import { utf8 } from '../../crypto/encoding.js'

export interface JournalEntry extends LeafObject {
  kind: EntryKind
  /** Unix time in milliseconds */
  time: number
}

export interface MessageFields {
  time: number
  /** the other side's PeerId */
  peer: string
  conversation: string
  /** message id (base64url) */
  id: string
  /** base64 of the author's exact statement bytes, and of its Ed25519 signature */
  statement: string
  signature: string
}

export function messageSentEntry (m: MessageFields): JournalEntry {
  return { kind: 'message-sent', ...m }
}

export function messageReceivedEntry (m: MessageFields): JournalEntry {
  return { kind: 'message-received', ...m }
}

/**
 * Messages of one conversation delivered to or read by `peer`. With `signed` and `signature`, the
 * entry carries the peer's own signed receipt (crypto/receipt.ts), which an auditor can check.
 */
export function receiptEntry (r: { time: number, peer: string, conversation: string, receipt: typeof RECEIPT_KINDS[number], messages: string[], signed?: string, signature?: string }): JournalEntry {
  return { kind: 'receipt', ...r }
}

/** Ciphertext carried for an absent member: who wrote it, for whom, how many and how big; never what. */
export function carryEntry (c: { time: number, action: typeof CARRY_ACTIONS[number], author: string, recipient: string, count: number, bytes: number }): JournalEntry {
  return { kind: 'carry', ...c }
}

/**
 * An entry of a channel's membership log (create, invite, remove, leave, topic, archive) made here or
 * received, with its exact bytes and its signer's signature, so the change can be checked on its own.
 */
export function channelEntryEntry (c: { time: number, channel: string, change: string, entry: string, signature: string }): JournalEntry {
  return { kind: 'channel-entry', ...c }
}

/** A sender key handed to (`sent`) or taken from (`received`) a member: which chain, never its key. */
export function senderKeyEntry (k: { time: number, direction: typeof SENDER_KEY_DIRECTIONS[number], peer: string, channel: string, chain: string, generation: number }): JournalEntry {
  return { kind: 'sender-key', ...k }
}

/** A peer's keys pinned on first contact (base64 Ed25519 device key, X25519 identity key). */
export function keyPinEntry (k: { time: number, peer: string, device: string, identity: string }): JournalEntry {
  return { kind: 'key-pin', ...k }
}

export function keyChangeEntry (k: {
  time: number
  peer: string
  oldDevice: string
  oldIdentity: string
  newDevice: string
  newIdentity: string
  decision: typeof KEY_DECISIONS[number]
}): JournalEntry {
  return {
    kind: 'key-change',
    time: k.time,
    peer: k.peer,
    'old-device': k.oldDevice,
    'old-identity': k.oldIdentity,
    'new-device': k.newDevice,
    'new-identity': k.newIdentity,
    decision: k.decision
  }
}

/**
 * A change of the workspace's membership log (genesis, invite, admit, remove, role, prekey), with the
 * entry's exact bytes and its signer's signature, so the change can be checked on its own.
 */
export function membershipEntry (m: { time: number, workspace: string, seq: number, change: string, entry: string, signature: string }): JournalEntry {
  return { kind: 'membership', ...m }
}

/**
 * A fork of the membership log met by this node: `entry` and `signature` are the first entry of the
 * branch dropped (checkable like any membership entry), `kept` the base64 SHA-256 of the first entry of
 * the branch kept. When this node's own branch was dropped, the kept one is journaled after it from `seq`.
 */
export function membershipForkEntry (m: { time: number, workspace: string, seq: number, entry: string, signature: string, kept: string }): JournalEntry {
  return { kind: 'membership', time: m.time, workspace: m.workspace, seq: m.seq, change: 'fork', entry: m.entry, signature: m.signature, kept: m.kept }
}

/**
 * A release or pause decision met by this node (core/update): the version, the target, the colleague
 * it came from, and for a refusal its error code; `manifest` is the base64 SHA-256 of the signed
 * manifest, so an auditor can match it to the release that was published.
 */
export function updateEntry (u: { time: number, action: typeof UPDATE_ACTIONS[number], version?: string, target?: string, peer?: string, code?: string, manifest?: string }): JournalEntry {
  const fields = Object.fromEntries(Object.entries(u).filter(([, value]) => value !== undefined)) as Record<string, string | number>
  return { ...fields, kind: 'update', time: u.time }
}

/**
 * A colleague that served a file's chunk list or chunk that the signed descriptor does not prove
 * (core/files/fetcher.ts): who, which file (its attachment id) and the transfer error code (never
 * the holder's own words). The file is fetched from another holder; this one is not asked for it again.
 */
export function fileFaultEntry (f: { time: number, peer: string, file: string, code: string }): JournalEntry {
  return { kind: 'file-fault', ...f }
}

export function startupEntry (time: number): JournalEntry {
  return { kind: 'startup', time }
}

export function shutdownEntry (time: number): JournalEntry {
  return { kind: 'shutdown', time }
}

/** The leaf bytes of an entry: its canonical JSON. Throws CanonicalJsonError on a bad field. */
export function encodeEntry (entry: JournalEntry): Uint8Array {
  return utf8(canonicalJson(entry))
}
