// This node's part in its workspace: create it (genesis), issue invite codes, admit an invitee (the
// join protocol's JoinAdmitter), remove a device, change a role, publish a new signed prekey. Every
// action is one verified, signed entry appended to the membership log. After a fork that this node
// lost, its own dropped entries that still apply are signed again on the winning branch.
import type { Multiaddr } from '@multiformats/multiaddr'
import { ed25519FromSeed } from '../../crypto/ed25519.js'
import { parseEntry, type EntryBody, type MembershipEntry, type Role } from '../../crypto/membership-entry.js'
import { nextPrekeyTime, signGenesis, signNext, type EntrySigner, type Invite, type JoinProof, type MembershipLog, type SignedEntry } from '../../crypto/membership-log.js'
import { equals, toHex } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import type { JoinAdmitter } from '../protocol/workspace-join.js'
import { WorkspaceError } from '../errors.js'
import { chosenInviteAddress, encodeInviteCode, INVITE_TOKEN_BYTES, inviteAddress, inviteLink, inviteSeed } from './invite-code.js'
import { inviteProof, type InviteProofs } from './invite-proof.js'
import type { Invitation } from '../protocol/workspace-invite.js'
import { datedAhead, inviteStatus, MAX_INVITE_EXPIRY_MS, type InviteInfo } from './invite-list.js'
import type { Change, Membership, WorkspaceInfo } from './membership.js'

export const DEFAULT_INVITE_EXPIRY_MS = 24 * 3600 * 1000
/** How long after its expiry an invite's holder may still connect, to hear why it is refused. */
export const INVITE_REFUSAL_GRACE_MS = 7 * 24 * 3600 * 1000

/** This device: its signing key and what it publishes in the log. */
export interface LocalDevice extends EntrySigner {
  identityKey: Uint8Array
  prekeyId: number
  prekey: Uint8Array
  name: string
}

export interface WorkspaceComponents {
  membership: Membership
  /** Its keys and name go into the genesis when it creates a workspace; later prekeys via rotatePrekey. */
  device: LocalDevice
  /** The node's current listen addresses, for invite codes. */
  addresses: () => Multiaddr[]
  /** The proofs of this node's invites, shown to their holders. */
  proofs: InviteProofs
}

export interface WorkspaceInit {
  now?: () => number
}

export interface CreatedInvite {
  code: string
  /** The link that opens the joiner's app on its join screen with the code. */
  link: string
  role: Role
  expires: number
  /** PeerId the invitee will connect with (the invite key's). */
  inviteKey: Uint8Array
}

export class Workspace implements JoinAdmitter {
  readonly #components: WorkspaceComponents
  readonly #now: () => number

  constructor (components: WorkspaceComponents, init: WorkspaceInit = {}) {
    this.#components = components
    this.#now = init.now ?? Date.now
  }

  get membership (): Membership { return this.#components.membership }

  /** Makes this device the root key and first admin of a new workspace. */
  async create (name: string): Promise<WorkspaceInfo> {
    const d = this.#components.device
    const genesis = signGenesis(d, { name, deviceName: d.name, identityKey: d.identityKey, prekeyId: d.prekeyId, prekey: d.prekey }, this.#now())
    await this.#components.membership.adopt([genesis])
    return this.#components.membership.workspace!
  }

  /** Writes an invite entry and returns its single-use code. */
  async createInvite (options: { role?: Role, expiresMs?: number, address?: string } = {}): Promise<CreatedInvite> {
    const role = options.role ?? 'member'
    const expiresMs = options.expiresMs ?? DEFAULT_INVITE_EXPIRY_MS
    if (!Number.isSafeInteger(expiresMs) || expiresMs <= 0 || expiresMs > MAX_INVITE_EXPIRY_MS) {
      throw new WorkspaceError('WORKSPACE_BAD_REQUEST', `an invite expires after 1 ms to ${MAX_INVITE_EXPIRY_MS / 86_400_000} days`)
    }
    this.#requireAdmin()
    const token = randomBytes(INVITE_TOKEN_BYTES)
    const inviteKey = ed25519FromSeed(inviteSeed(token)).publicKey
    const now = this.#now()
    const expires = now + expiresMs
    // Encoded first: a node with no address to give writes no invite.
    const own = inviteAddress(this.#components.addresses())
    const code = encodeInviteCode({ token, address: options.address === undefined ? own : chosenInviteAddress(options.address, own) })
    // The proof before the entry: an invite whose proof was lost could never be shown.
    await this.#components.proofs.put(inviteKey, inviteProof(token, this.#components.membership.workspace!.root, this.#components.device.publicKey))
    await this.#append(log => signNext(log, this.#components.device, { kind: 'invite', inviteKey, role, expires }, now))
    return { code, link: inviteLink(code), role, expires, inviteKey }
  }

  /**
   * For the invite protocol: what the holder of one of our open invites was invited to (the log up
   * to its entry) and our proof that we made it. A used invite is shown too: the device that used
   * it may ask again after a lost answer, and the join protocol tells any other that it is used.
   */
  async showInvite (inviteKey: Uint8Array): Promise<Invitation> {
    const log = this.#components.membership.requireLog()
    const invite = log.invite(inviteKey)
    const proof = invite === undefined || !equals(invite.inviter, this.#components.device.publicKey) ? undefined : await this.#components.proofs.get(inviteKey)
    if (invite === undefined || proof === undefined) throw new WorkspaceError('MEMBERSHIP_UNKNOWN_INVITE', 'this invite code is not one of this node\'s')
    this.#refuseClosed(log, invite)
    return { entries: log.entries(0, invite.seq + 1), proof }
  }

  /** Revokes an open invite (any admin's), by its id or the start of it; every node that learns of it refuses it. */
  async revokeInvite (id: string): Promise<InviteInfo> {
    this.#requireAdmin()
    const invite = this.#inviteById(id)
    await this.#append(log => signNext(log, this.#components.device, { kind: 'revoke', inviteKey: invite.key }, this.#now()))
    return this.invites().find(i => equals(i.key, invite.key))!
  }

  /** Every invite of the log, newest first (by the time it was issued), with its status now (admins only: invites are their business). */
  invites (): InviteInfo[] {
    this.#requireAdmin()
    const log = this.#components.membership.requireLog()
    const now = this.#now()
    return log.invites().sort((a, b) => b.issued - a.issued).map(invite => ({ ...invite, status: inviteStatus(log, invite, now) }))
  }

  #inviteById (id: string): Invite {
    const text = id.trim().toLowerCase()
    const matches = text.length < 6 ? [] : this.#components.membership.requireLog().invites().filter(i => inviteId(i.key).startsWith(text))
    if (matches.length !== 1) throw new WorkspaceError('MEMBERSHIP_UNKNOWN_INVITE', matches.length === 0 ? `no invite ${text} in this workspace (give at least 6 characters of its id)` : `${text} is the start of several invites' ids: give more of it`)
    return matches[0]!
  }

  /** Refuses, each with its own words, an invite that can no longer admit anyone new. */
  #refuseClosed (log: MembershipLog, invite: Invite): void {
    const status = inviteStatus(log, invite, this.#now())
    if (status === 'revoked') throw new WorkspaceError('MEMBERSHIP_INVITE_REVOKED', 'this invite was revoked by an admin: ask for a new one')
    if (status === 'expired' && datedAhead(invite, this.#now())) {
      throw new WorkspaceError('MEMBERSHIP_INVITE_EXPIRED', `this invite was issued by a clock ahead of this computer's (it claims to be open until ${new Date(invite.expires).toISOString()}): ask for a new one`)
    }
    if (status === 'expired') throw new WorkspaceError('MEMBERSHIP_INVITE_EXPIRED', `this invite expired on ${new Date(invite.expires).toISOString()}: ask for a new one`)
  }

  /**
   * An invite for a desk admitted over the network (join-requests.ts): this node made the secret and
   * signs the join request with it itself, so no code leaves it. The same `invite` entry as a code's.
   */
  async inviteKnownDevice (inviteKey: Uint8Array, expires: number): Promise<void> {
    this.#requireAdmin()
    await this.#append(log => signNext(log, this.#components.device, { kind: 'invite', inviteKey, role: 'member', expires }, this.#now()))
  }

  /**
   * JoinAdmitter: checks the invite is open, then appends the admission (verified like any entry).
   * The device that already used this invite gets the log again (its first answer may have been
   * lost), unless it was removed since: it is shown nothing after its removal (MEMBERSHIP_REMOVED).
   */
  async admit (proof: JoinProof, inviteKey: Uint8Array): Promise<SignedEntry[]> {
    this.#requireAdmin()
    const now = this.#now()
    await this.#components.membership.extend(log => {
      const invite = log.invite(inviteKey)
      if (invite === undefined) throw new WorkspaceError('MEMBERSHIP_UNKNOWN_INVITE', 'this invite code is not one of this workspace\'s')
      if (invite.usedBy !== undefined) {
        if (!equals(log.checkJoinRequest(proof, inviteKey).device, invite.usedBy)) throw new WorkspaceError('MEMBERSHIP_INVITE_USED', 'this invite code was already used: ask for a new one')
        // Its own device again, but removed since: the log after its removal is no business of its.
        if (log.isRemoved(invite.usedBy)) throw new WorkspaceError('MEMBERSHIP_REMOVED', 'this device was removed from the workspace')
        return undefined
      }
      this.#refuseClosed(log, invite)
      log.checkJoinRequest(proof, inviteKey) // the invitee's fault, named as such, before we sign anything
      return signNext(log, this.#components.device, { kind: 'admit', role: invite.role, invite: inviteKey, ...proof }, now)
    })
    return this.#components.membership.requireLog().entries()
  }

  /** Removes a member by PeerId; every node then disconnects and refuses it. */
  async remove (peerId: string, reason = 'removed by an admin'): Promise<Change> {
    this.#requireAdmin()
    const device = this.#memberKey(peerId)
    return await this.#append(log => signNext(log, this.#components.device, { kind: 'remove', device, reason }, this.#now()))
  }

  async setRole (peerId: string, role: Role): Promise<Change> {
    this.#requireAdmin()
    const device = this.#memberKey(peerId)
    return await this.#append(log => signNext(log, this.#components.device, { kind: 'role', device, role }, this.#now()))
  }

  /**
   * Publishes this device's new signed prekey (signed by the device itself), dated no earlier than
   * the log's rules allow: a day after its previous one, which a clock set back may not be yet.
   */
  async rotatePrekey (prekeyId: number, prekey: Uint8Array): Promise<Change> {
    return await this.#append(log => {
      const self = log.member(this.#components.device.publicKey)
      const time = Math.max(this.#now(), self === undefined ? -Infinity : nextPrekeyTime(self))
      return signNext(log, this.#components.device, { kind: 'prekey', prekeyId, prekey }, time)
    })
  }

  /**
   * Signs again, on the current head and with their original time, this device's entries of a
   * dropped branch that still apply (an invite not issued since, a prekey newer than the one in the
   * log, a removal of a device still a member...), in their order; the others are left out.
   * Returns how many were signed again.
   */
  async reapply (dropped: SignedEntry[]): Promise<number> {
    let count = 0
    for (const signed of dropped) {
      const entry = parseEntry(signed.bytes)
      if (!equals(entry.signer, this.#components.device.publicKey)) continue
      const change = await this.#components.membership.extend(log => this.#stillApplies(log, entry))
      if (change !== undefined) count++
    }
    return count
  }

  #stillApplies (log: MembershipLog, entry: MembershipEntry): SignedEntry | undefined {
    const body = bodyOf(entry)
    if (body.kind === 'role' && log.member(body.device)?.role === body.role) return undefined
    const again = signNext(log, this.#components.device, body, entry.time)
    try {
      log.check(again)
      return again
    } catch {
      return undefined
    }
  }

  /** For the gater: may this PeerId connect to reach the invite and join protocols (an invite of ours, not long expired)? */
  isInvitee (peerId: string): boolean {
    return this.#components.membership.isInvitee(peerId, { inviter: this.#components.device.publicKey, graceMs: INVITE_REFUSAL_GRACE_MS, now: this.#now() })
  }

  async #append (make: (log: MembershipLog) => SignedEntry): Promise<Change> {
    return (await this.#components.membership.extend(make))!
  }

  #requireAdmin (): void {
    const member = this.#components.membership.requireLog().member(this.#components.device.publicKey)
    if (member?.role !== 'admin') throw new WorkspaceError('WORKSPACE_NOT_ADMIN', 'only an admin of the workspace may do this')
  }

  #memberKey (peerId: string): Uint8Array {
    const member = this.#components.membership.memberInLog(peerId)
    if (member === undefined) throw new WorkspaceError('MEMBERSHIP_NOT_MEMBER', `no member ${peerId} in this workspace`)
    return member.device
  }
}


/** An invite's id in lists and commands: its key in hex (safe on a command line, unlike base64url's leading "-"). */
export const inviteId = (key: Uint8Array): string => toHex(key)

/** An entry without its place in the log (seq, previous, signer, time): what is signed again elsewhere. */
function bodyOf (entry: MembershipEntry): EntryBody {
  const { seq: _seq, previous: _previous, signer: _signer, time: _time, ...body } = entry
  return body as EntryBody
}
