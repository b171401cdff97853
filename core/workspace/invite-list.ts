// An invite as the lists show it (API, CLI, app): its state now, derived from the log alone, so
// every node that holds the same log lists the same states (expiry by the reader's clock).
import type { Invite, MembershipLog } from '../../crypto/membership-log.js'

export const INVITE_STATUSES = ['open', 'used', 'revoked', 'expired'] as const
export type InviteStatus = typeof INVITE_STATUSES[number]

export interface InviteInfo extends Invite {
  status: InviteStatus
}

/** The longest an invite may be open (`causette invite --expires`). */
export const MAX_INVITE_EXPIRY_MS = 30 * 24 * 3600 * 1000

/**
 * Used wins (someone joined with it), then revoked (by a revoke entry, or because its inviter is no
 * longer an admin: an invite dies with that role), then expired: past its expiry, or open longer from
 * now than any invite may be (datedAhead: issued by a clock far ahead, since set right).
 */
export function inviteStatus (log: MembershipLog, invite: Invite, now: number): InviteStatus {
  if (invite.usedBy !== undefined) return 'used'
  if (invite.revoked !== undefined || log.member(invite.inviter)?.role !== 'admin') return 'revoked'
  if (now > invite.expires || datedAhead(invite, now)) return 'expired'
  return 'open'
}

/**
 * An invite whose expiry is further from `now` than the longest an invite may last was dated by a
 * clock ahead of this one: it would stay open for as long as that clock was ahead (a year, for a
 * dead CMOS battery or a resumed snapshot), so it is taken as expired.
 */
export function datedAhead (invite: Invite, now: number): boolean {
  return invite.expires - now > MAX_INVITE_EXPIRY_MS
}
