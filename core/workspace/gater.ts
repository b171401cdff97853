// Admission at the door (DESIGN.md §3). The libp2p connection gater refuses every PeerId that is not
// an admitted member right after the Noise handshake (which proves the PeerId), before the muxer is
// negotiated and before any protocol runs.
//
// The one exception is an invitee. Its device is not a member yet, so it connects with a temporary
// identity: the invite key, whose seed is the secret in the invite code. An admin lets in the PeerIds
// of its own invites (`allowPending`: Workspace.isInvitee), and such a connection may reach the invite
// and join protocols only: every other causette handler is wrapped in `membersOnly`, and the node must not
// greet it (no device record, no log sync). A stranger without a code cannot complete a connection
// at all, even while invites are open, since it cannot present an invite key it does not hold.
// Risk: whoever holds a code (a leaked one) can connect to the inviting admin and see what libp2p's
// identify protocol tells any peer (listen addresses, protocol ids); the join itself is single use.
// Used and expired invites stay allowed for a grace period so their holder hears why it is refused.
// On an admin, up to 16 desks in no workspace may connect too, to ask to be admitted over the network
// (service.ts, join-requests.ts): they reach the admission protocol alone, like an invitee the join.
// Likewise a removed device may connect (inbound only) for one thing: to be told of its removal by
// the members protocol, which shows it the log up to that entry and nothing after; the replicator
// then hangs up (the service passes both through `allowPending`). It learns nothing it did not know.
import type { ConnectionGater, PeerId, StreamHandler } from '@libp2p/interface'

export interface GaterOptions {
  /** PeerIds that may connect although they are not members, inbound only: open invites' keys, removed devices. */
  allowPending?: (peerId: string) => boolean
}

export function membershipGater (isMember: (peerId: string) => boolean, options: GaterOptions = {}): ConnectionGater {
  const member = (peer: PeerId): boolean => isMember(peer.toString())
  return {
    // We never dial a non-member: discovery may find strangers on the LAN.
    denyDialPeer: peer => !member(peer),
    denyInboundEncryptedConnection: peer => !member(peer) && !(options.allowPending?.(peer.toString()) ?? false),
    denyOutboundEncryptedConnection: peer => !member(peer)
  }
}

/** Wraps a protocol handler so that a stream from a non-member (an invitee's connection) is aborted unread. */
export function membersOnly (isMember: (peerId: string) => boolean, handler: StreamHandler, refused?: (peerId: string) => void): StreamHandler {
  return (stream, connection) => {
    const peer = connection.remotePeer.toString()
    if (!isMember(peer)) {
      refused?.(peer)
      stream.abort(new Error('not a member of this workspace'))
      return
    }
    return handler(stream, connection)
  }
}
