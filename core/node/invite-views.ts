// Invites as the API shows them: the inviter, the device that used one, the admin who revoked one,
// each by PeerId and by the name its device joined with (removed devices keep theirs: the log does).
import type { InviteListItem, InvitePreview, InviteView, PersonRef } from '../api/schema.js'
import { toBase64 } from '../../crypto/encoding.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { parseEntry, parseJoinRequest } from '../../crypto/membership-entry.js'
import type { MembershipLog } from '../../crypto/membership-log.js'
import type { InviteInfo } from '../workspace/invite-list.js'
import type { InvitePreview as CheckedPreview } from '../workspace/join.js'
import { inviteId, type CreatedInvite } from '../workspace/workspace.js'

/** Every device's name as the log gives it: the genesis, then each admission's join request. */
function namesIn (log: MembershipLog): Map<string, string> {
  const names = new Map<string, string>()
  for (const signed of log.entries()) {
    const entry = parseEntry(signed.bytes)
    if (entry.kind === 'genesis') names.set(toBase64(entry.signer), entry.deviceName)
    if (entry.kind === 'admit') {
      const request = parseJoinRequest(entry.request)
      names.set(toBase64(request.device), request.name)
    }
  }
  return names
}

export function inviteListItems (log: MembershipLog, invites: InviteInfo[]): InviteListItem[] {
  const names = namesIn(log)
  const person = (device: Uint8Array): PersonRef => ({ peerId: ed25519PeerId(device), name: names.get(toBase64(device)) ?? ed25519PeerId(device) })
  return invites.map(invite => ({
    id: inviteId(invite.key),
    inviter: person(invite.inviter),
    issuedAt: invite.issued,
    expiresAt: invite.expires,
    role: invite.role,
    status: invite.status,
    ...(invite.usedBy === undefined ? {} : { usedBy: person(invite.usedBy) }),
    ...(invite.revoked === undefined ? {} : { revokedBy: person(invite.revoked.by), revokedAt: invite.revoked.time })
  }))
}

export function createdInviteView (invite: CreatedInvite): InviteView {
  return { id: inviteId(invite.inviteKey), code: invite.code, link: invite.link, role: invite.role, expiresAt: invite.expires }
}

export function invitePreviewView (preview: CheckedPreview): InvitePreview {
  return {
    workspace: { id: preview.workspace.id, name: preview.workspace.name },
    inviter: { peerId: ed25519PeerId(preview.inviter.device), name: preview.inviter.name },
    role: preview.role,
    expiresAt: preview.expires
  }
}
