// /causette/invite/1.0.0: an invitee, connected with the invite's own key (core/workspace/gater.ts),
// asks what it was invited to before it asks to join: the admin answers with the membership log up
// to and including the invite's entry (which names the workspace, its root key and the inviting
// admin) and its proof that it knows the invite's token (core/workspace/invite-proof.ts), or with a
// coded refusal (unknown, revoked, expired invite); a stream that failed, with nothing. The
// invitee's question is an empty frame: the connection's key says which invite it holds. The logic
// sits behind `InviteShower`.
import type { Connection, Stream } from '@libp2p/interface'
import type { SignedEntry } from '../../crypto/membership-log.js'
import { WorkspaceError } from '../errors.js'
import { FailedStreamError, frameError, readEntries, struckFrameError, writeEntries, writeRefusal } from './workspace-entries.js'
import { readFrame } from './read-frame.js'
import { JOIN_TIMEOUT_MS, MAX_ENTRIES_FRAME_BYTES, MAX_INVITE_REQUEST_FRAME_BYTES } from './workspace-limits.js'
import { INVITE_PROTOCOL } from './protocol-ids.js'
import { InviteProofFrame, InviteRequestFrame } from './workspace.js'
import { framedStream } from './framed-stream.js'
import { ask } from './ask.js'

/** What the inviting admin shows the holder of an invite. */
export interface Invitation {
  /** The log from its genesis to the invite's entry, included. */
  entries: SignedEntry[]
  proof: Uint8Array
}

export interface InviteShower {
  /** The invitation for the invite whose key is `inviteKey`; rejects with a coded error to refuse. */
  show: (inviteKey: Uint8Array) => Promise<Invitation>
  refused?: (from: string, code: string, message: string) => void
}

/** Listener side (the admin). */
export async function handleInviteStream (stream: Stream, connection: Connection, shower: InviteShower): Promise<void> {
  const signal = AbortSignal.timeout(JOIN_TIMEOUT_MS)
  const from = connection.remotePeer.toString()
  try {
    const pb = framedStream(stream, MAX_INVITE_REQUEST_FRAME_BYTES)
    let invitation: Invitation
    try {
      const key = connection.remotePeer.publicKey?.raw
      if (key === undefined) throw new WorkspaceError('JOIN_REFUSED', 'the invitee has no public key')
      await readFrame(pb, InviteRequestFrame, 'invite request', { signal }).catch(error => { throw struckFrameError(stream, error) })
      invitation = await shower.show(key)
    } catch (error) {
      if (error instanceof FailedStreamError) throw error // nobody to answer
      await writeRefusal(pb, error, 'the admin could not show this invite', signal, (code, message) => shower.refused?.(from, code, message))
      await stream.close({ signal })
      return
    }
    await writeEntries(pb, invitation.entries, signal)
    await pb.write({ proof: Uint8Array.from(invitation.proof) }, InviteProofFrame, { signal })
    await stream.close({ signal })
  } catch (error) {
    stream.abort(error as Error)
  }
}

/** Dialer side (the invitee): the invitation, or the admin's coded refusal. */
export async function requestInvitation (connection: Connection): Promise<Invitation> {
  return await ask(connection, INVITE_PROTOCOL, { timeoutMs: JOIN_TIMEOUT_MS, maxFrameBytes: MAX_ENTRIES_FRAME_BYTES }, async (pb, signal) => {
    await pb.write({}, InviteRequestFrame, { signal })
    const entries = await readEntries(pb, signal).catch(error => { throw frameError(error) })
    const { proof } = await pb.read(InviteProofFrame, { signal }).catch(error => { throw frameError(error) })
    return { entries, proof }
  })
}
