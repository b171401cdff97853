// Verification of the membership log, entry by entry (DESIGN.md §3): chain (sequence and previous
// hash), signature, signer's standing at that point (admin, or the device itself for its prekey),
// single use and expiry of invites, the invitee's own signatures over its keys, and no removed
// device acting. `MembershipLog` is the derived state: members, roles, keys, invites. Pure: the hash
// and signature primitives are passed in (core/workspace passes node:crypto's, a browser libsodium's).
import { equals, toBase64, toBase64Url } from './encoding.js'
import type { LogPrimitives } from './log/primitives.js'
import {
  encodeEntry, encodeJoinRequest, membershipFail, parseEntry, parseJoinRequest,
  type EntryBody, type JoinRequest, type MembershipEntry, type Role
} from './membership-entry.js'

export type MembershipPrimitives = Pick<LogPrimitives, 'sha256' | 'ed25519Verify'>
export type Signer = (message: Uint8Array) => Uint8Array

/** An entry as stored and sent: its exact bytes and the signer's signature over them. */
export interface SignedEntry { bytes: Uint8Array, signature: Uint8Array }

export interface Member {
  device: Uint8Array
  name: string
  role: Role
  identityKey: Uint8Array
  prekeyId: number
  prekey: Uint8Array
  /** Sequence number of the entry that admitted it (0: the root). */
  admittedAt: number
  /** The signed time of its latest `prekey` entry; absent until its first rotation. */
  prekeyRotatedAt?: number
}

/**
 * A device's `prekey` entries are at least this far apart by their signed times. Honest desks rotate
 * weekly; without it a member could fill every desk's log with its own prekeys. It binds only with a
 * bound on how far ahead of the clock an entry may be, which each node applies to the entries it
 * receives (core/workspace/membership.ts: MAX_PREKEY_AHEAD_MS).
 */
export const PREKEY_MIN_INTERVAL_MS = 24 * 3600 * 1000

export interface Invite {
  key: Uint8Array
  role: Role
  expires: number
  inviter: Uint8Array
  seq: number
  /** When it was issued (the invite entry's time, by the inviter's clock). */
  issued: number
  /** Device admitted with it, once used. */
  usedBy?: Uint8Array
  /** The admin who revoked it, and when (the revoke entry's time). */
  revoked?: { by: Uint8Array, time: number }
}

/** What an applied entry changed, for listeners. */
export interface MembershipChange {
  seq: number
  kind: MembershipEntry['kind']
  signer: Uint8Array
  /** The device admitted, removed, whose role or prekey changed (the root for the genesis). */
  device?: Uint8Array
}

const id = (key: Uint8Array): string => toBase64(key)

/** The SHA-256 of an entry's bytes: what the next entry names as `previous`. */
export function entryHash (primitives: MembershipPrimitives, bytes: Uint8Array): Uint8Array {
  return primitives.sha256(bytes)
}

/** The workspace id: base64url of the genesis entry's hash (43 characters, a valid statement workspace). */
function workspaceIdOf (primitives: MembershipPrimitives, genesis: SignedEntry): string {
  return toBase64Url(entryHash(primitives, genesis.bytes))
}

export function signEntry (sign: Signer, entry: MembershipEntry): SignedEntry {
  const bytes = encodeEntry(entry)
  return { bytes, signature: sign(bytes) }
}

export class MembershipLog {
  readonly workspaceId: string
  readonly name: string
  readonly root: Uint8Array
  readonly #primitives: MembershipPrimitives
  readonly #entries: SignedEntry[] = []
  readonly #hashes: Uint8Array[] = []
  readonly #members = new Map<string, Member>()
  readonly #removed = new Map<string, number>()
  readonly #invites = new Map<string, Invite>()

  private constructor (primitives: MembershipPrimitives, genesis: SignedEntry, entry: Extract<MembershipEntry, { kind: 'genesis' }>) {
    this.#primitives = primitives
    this.workspaceId = workspaceIdOf(primitives, genesis)
    this.name = entry.name
    this.root = entry.signer
  }

  /** Starts a log from its genesis; `pinnedRoot` (an invite code's root key) must be its signer. */
  static fromGenesis (primitives: MembershipPrimitives, genesis: SignedEntry, pinnedRoot?: Uint8Array): MembershipLog {
    const entry = parseEntry(genesis.bytes)
    if (entry.kind !== 'genesis') membershipFail('MEMBERSHIP_BROKEN_CHAIN', 'a log starts with its genesis')
    if (pinnedRoot !== undefined && !equals(entry.signer, pinnedRoot)) membershipFail('MEMBERSHIP_WRONG_WORKSPACE', 'the genesis is not signed by the pinned root key')
    if (!primitives.ed25519Verify(entry.signer, genesis.bytes, genesis.signature)) membershipFail('MEMBERSHIP_BAD_SIGNATURE', 'entry 0: bad signature')
    const log = new MembershipLog(primitives, genesis, entry)
    log.#commit(genesis, entry, log.#hash(genesis))
    return log
  }

  /** Verifies a whole log from its genesis. */
  static verify (primitives: MembershipPrimitives, entries: SignedEntry[], pinnedRoot?: Uint8Array): MembershipLog {
    if (entries.length === 0) membershipFail('MEMBERSHIP_BROKEN_CHAIN', 'an empty log')
    const log = MembershipLog.fromGenesis(primitives, entries[0]!, pinnedRoot)
    for (const entry of entries.slice(1)) log.apply(entry)
    return log
  }

  get length (): number { return this.#entries.length }
  /** Hash of the last entry. */
  get head (): Uint8Array { return this.#hashes[this.#hashes.length - 1]! }

  entries (from = 0, to = this.length): SignedEntry[] { return this.#entries.slice(from, to) }
  hashAt (seq: number): Uint8Array | undefined { return this.#hashes[seq] }
  members (): Member[] { return [...this.#members.values()].map(m => ({ ...m })) }
  member (device: Uint8Array): Member | undefined {
    const member = this.#members.get(id(device))
    return member === undefined ? undefined : { ...member }
  }
  isRemoved (device: Uint8Array): boolean { return this.#removed.has(id(device)) }
  invite (key: Uint8Array): Invite | undefined { return this.#invites.get(id(key)) }
  invites (): Invite[] { return [...this.#invites.values()] }
  admins (): Member[] { return this.members().filter(m => m.role === 'admin') }

  /**
   * Is `signed` already the entry at its position? False for a new entry; throws MEMBERSHIP_FORK
   * for a different entry after the same previous one.
   */
  holds (signed: SignedEntry): boolean {
    const entry = parseEntry(signed.bytes)
    if (entry.seq >= this.length) return false
    const hash = this.#hash(signed)
    if (equals(hash, this.#hashes[entry.seq]!)) return true
    if (entry.seq === 0) membershipFail('MEMBERSHIP_WRONG_WORKSPACE', 'a genesis other than this workspace\'s')
    if (entry.previous !== null && equals(entry.previous, this.#hashes[entry.seq - 1]!)) {
      membershipFail('MEMBERSHIP_FORK', `entry ${entry.seq} differs from ours after the same previous entry`)
    }
    return membershipFail('MEMBERSHIP_BROKEN_CHAIN', `entry ${entry.seq} does not follow this log`)
  }

  /** Checks the next entry against the whole state; throws MembershipError naming the first broken rule. */
  check (signed: SignedEntry): MembershipEntry {
    const entry = parseEntry(signed.bytes)
    if (this.holds(signed)) membershipFail('MEMBERSHIP_BROKEN_CHAIN', `entry ${entry.seq} is already in the log`)
    if (entry.seq !== this.length || entry.previous === null || !equals(entry.previous, this.head)) {
      membershipFail('MEMBERSHIP_BROKEN_CHAIN', `entry ${entry.seq} does not follow entry ${this.length - 1}`)
    }
    if (!this.#primitives.ed25519Verify(entry.signer, signed.bytes, signed.signature)) membershipFail('MEMBERSHIP_BAD_SIGNATURE', `entry ${entry.seq}: bad signature`)
    if (this.isRemoved(entry.signer)) membershipFail('MEMBERSHIP_REMOVED', `entry ${entry.seq}: signed by a removed device`)
    const signer = this.member(entry.signer)
    if (entry.kind === 'prekey') {
      if (signer === undefined) membershipFail('MEMBERSHIP_NOT_MEMBER', `entry ${entry.seq}: a prekey of a device that is not a member`)
      if (entry.prekeyId <= signer.prekeyId) membershipFail('MEMBERSHIP_BAD_ENTRY', `entry ${entry.seq}: a prekey id must increase`)
      if (entry.time < nextPrekeyTime(signer)) membershipFail('MEMBERSHIP_PREKEY_TOO_SOON', `entry ${entry.seq}: a device's prekeys are a day apart at least`)
      return entry
    }
    if (signer?.role !== 'admin') membershipFail('MEMBERSHIP_NOT_ADMIN', `entry ${entry.seq}: the signer is not an admin`)
    this.#checkBody(entry)
    return entry
  }

  /** Checks and applies the next entry. */
  apply (signed: SignedEntry): MembershipChange {
    const entry = this.check(signed)
    return this.#commit(signed, entry, this.#hash(signed))
  }

  #hash (signed: SignedEntry): Uint8Array { return entryHash(this.#primitives, signed.bytes) }

  #checkBody (entry: MembershipEntry): void {
    const at = `entry ${entry.seq}`
    switch (entry.kind) {
      case 'genesis':
        return membershipFail('MEMBERSHIP_BAD_ENTRY', `${at}: a second genesis`)
      case 'invite':
        if (this.#invites.has(id(entry.inviteKey))) membershipFail('MEMBERSHIP_INVITE_USED', `${at}: this invite key was issued before`)
        if (entry.expires <= entry.time) membershipFail('MEMBERSHIP_INVITE_EXPIRED', `${at}: the invite expires before it is issued`)
        return
      case 'admit':
        this.#checkAdmit(entry, at)
        return
      case 'revoke':
        this.#checkRevoke(entry, at)
        return
      case 'remove':
      case 'role': {
        const target = this.member(entry.device)
        if (target === undefined) membershipFail('MEMBERSHIP_NOT_MEMBER', `${at}: the device is not a member`)
        const demoted = target.role === 'admin' && (entry.kind === 'remove' || entry.role !== 'admin')
        if (demoted && this.admins().length === 1) membershipFail('MEMBERSHIP_LAST_ADMIN', `${at}: the workspace would have no admin left`)
        return
      }
      case 'prekey':
        return
    }
  }

  #checkAdmit (entry: Extract<MembershipEntry, { kind: 'admit' }>, at: string): void {
    const invite = this.invite(entry.invite)
    if (invite === undefined) membershipFail('MEMBERSHIP_UNKNOWN_INVITE', `${at}: no such invite`)
    if (invite.usedBy !== undefined) membershipFail('MEMBERSHIP_INVITE_USED', `${at}: the invite was already used`)
    if (invite.revoked !== undefined) membershipFail('MEMBERSHIP_INVITE_REVOKED', `${at}: the invite was revoked`)
    if (entry.time > invite.expires) membershipFail('MEMBERSHIP_INVITE_EXPIRED', `${at}: the invite had expired`)
    if (this.member(invite.inviter)?.role !== 'admin') membershipFail('MEMBERSHIP_INVITE_REVOKED', `${at}: the inviter is no longer an admin`)
    if (entry.role !== invite.role) membershipFail('MEMBERSHIP_BAD_ENTRY', `${at}: the role differs from the invite's`)
    const request = this.checkJoinRequest(entry, invite.key)
    if (this.isRemoved(request.device)) membershipFail('MEMBERSHIP_REMOVED', `${at}: the device was removed`)
    if (this.member(request.device) !== undefined) membershipFail('MEMBERSHIP_ALREADY_MEMBER', `${at}: the device is already a member`)
  }

  /** Only an open invite can be revoked: one used, already revoked or expired has nothing left to withdraw. */
  #checkRevoke (entry: Extract<MembershipEntry, { kind: 'revoke' }>, at: string): void {
    const invite = this.invite(entry.inviteKey)
    if (invite === undefined) membershipFail('MEMBERSHIP_UNKNOWN_INVITE', `${at}: no such invite`)
    if (invite.usedBy !== undefined) membershipFail('MEMBERSHIP_INVITE_USED', `${at}: the invite was already used`)
    if (invite.revoked !== undefined) membershipFail('MEMBERSHIP_INVITE_REVOKED', `${at}: the invite was already revoked`)
    if (entry.time > invite.expires) membershipFail('MEMBERSHIP_INVITE_EXPIRED', `${at}: the invite had expired`)
  }

  /** The invitee's request, checked: for this root and invite, signed by its device and by the invite key. */
  checkJoinRequest (proof: { request: Uint8Array, requestSignature: Uint8Array, inviteSignature: Uint8Array }, inviteKey: Uint8Array): JoinRequest {
    const request = parseJoinRequest(proof.request)
    const bad = (why: string): never => membershipFail('MEMBERSHIP_BAD_JOIN_REQUEST', `join request: ${why}`)
    if (!equals(request.root, this.root)) bad('made for another workspace')
    if (!equals(request.invite, inviteKey)) bad('made for another invite')
    if (!this.#primitives.ed25519Verify(request.device, proof.request, proof.requestSignature)) bad('not signed by the device it names')
    if (!this.#primitives.ed25519Verify(inviteKey, proof.request, proof.inviteSignature)) bad('not signed with the invite secret')
    return request
  }

  #commit (signed: SignedEntry, entry: MembershipEntry, hash: Uint8Array): MembershipChange {
    this.#entries.push(signed)
    this.#hashes.push(hash)
    const change: MembershipChange = { seq: entry.seq, kind: entry.kind, signer: entry.signer }
    const body: EntryBody = entry
    switch (body.kind) {
      case 'genesis':
        this.#members.set(id(entry.signer), { device: entry.signer, name: body.deviceName, role: 'admin', identityKey: body.identityKey, prekeyId: body.prekeyId, prekey: body.prekey, admittedAt: 0 })
        return { ...change, device: entry.signer }
      case 'invite':
        this.#invites.set(id(body.inviteKey), { key: body.inviteKey, role: body.role, expires: body.expires, inviter: entry.signer, seq: entry.seq, issued: entry.time })
        return change
      case 'revoke':
        this.#invites.get(id(body.inviteKey))!.revoked = { by: entry.signer, time: entry.time }
        return change
      case 'admit': {
        const r = parseJoinRequest(body.request)
        this.#invites.get(id(body.invite))!.usedBy = r.device
        this.#members.set(id(r.device), { device: r.device, name: r.name, role: body.role, identityKey: r.identityKey, prekeyId: r.prekeyId, prekey: r.prekey, admittedAt: entry.seq })
        return { ...change, device: r.device }
      }
      case 'remove':
        this.#members.delete(id(body.device))
        this.#removed.set(id(body.device), entry.seq)
        return { ...change, device: body.device }
      case 'role':
        this.#members.get(id(body.device))!.role = body.role
        return { ...change, device: body.device }
      case 'prekey': {
        const member = this.#members.get(id(entry.signer))!
        member.prekeyId = body.prekeyId
        member.prekey = body.prekey
        member.prekeyRotatedAt = entry.time
        return { ...change, device: entry.signer }
      }
    }
  }
}

/** The earliest signed time the member's next `prekey` entry may carry. */
export function nextPrekeyTime (member: Member): number {
  return member.prekeyRotatedAt === undefined ? -Infinity : member.prekeyRotatedAt + PREKEY_MIN_INTERVAL_MS
}

/** A signing device: its Ed25519 public key and a signer bound to its private key. */
export interface EntrySigner { publicKey: Uint8Array, sign: Signer }

/** Signs `body` as the entry that follows `log`'s head (it is not applied). */
export function signNext (log: MembershipLog, signer: EntrySigner, body: EntryBody, time: number): SignedEntry {
  return signEntry(signer.sign, { seq: log.length, previous: log.head, signer: signer.publicKey, time, ...body })
}

export function signGenesis (signer: EntrySigner, body: Omit<Extract<EntryBody, { kind: 'genesis' }>, 'kind'>, time: number): SignedEntry {
  return signEntry(signer.sign, { kind: 'genesis', seq: 0, previous: null, signer: signer.publicKey, time, ...body })
}

/** The invitee's proof: its request bytes signed by its device key and by the invite key (the secret). */
export interface JoinProof { request: Uint8Array, requestSignature: Uint8Array, inviteSignature: Uint8Array }

export function signJoinRequest (device: Signer, invite: Signer, request: JoinRequest): JoinProof {
  const bytes = encodeJoinRequest(request)
  return { request: bytes, requestSignature: device(bytes), inviteSignature: invite(bytes) }
}
