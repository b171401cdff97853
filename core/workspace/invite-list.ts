// An invite as the lists show it (API, CLI, app): its state now, derived from the log alone, so
// every node that holds the same log lists the same states (expiry by the reader's clock).
import type { Invite, MembershipLog } from '../../crypto/membership-log.js'

export const INVITE_STATUSES = ['open', 'used', 'revoked', 'expired'] as const
export type InviteStatus = typeof INVITE_STATUSES[number]

export interface InviteInfo extends Invite {
  status: InviteStatus
}

/**
 * Used wins (someone joined with it), then revoked (by a revoke entry, or because its inviter is no
 * longer an admin: an invite dies with that role), then expired.
 */
export function inviteStatus (log: MembershipLog, invite: Invite, now: number): InviteStatus {
  if (invite.usedBy !== undefined) return 'used'
  if (invite.revoked !== undefined || log.member(invite.inviter)?.role !== 'admin') return 'revoked'
  if (now > invite.expires) return 'expired'
  return 'open'
}
