// /causette/join/1.0.0: an invitee, connected with the invite's own key (so only the holder of the
// secret gets this far, see core/workspace/gater.ts), sends its join request signed by its device key
// and by the invite key; the admin checks it, appends the admission and answers with the whole log,
// or with a coded refusal (used, expired, unknown invite...); a stream that failed, with nothing. The
// logic sits behind `JoinAdmitter`.
import type { Connection, Stream } from '@libp2p/interface'
import type { JoinProof, SignedEntry } from '../../crypto/membership-log.js'
import { WorkspaceError } from '../errors.js'
import { FailedStreamError, frameError, readEntries, struckFrameError, writeEntries, writeRefusal } from './workspace-entries.js'
import { readFrame } from './read-frame.js'
import { JOIN_TIMEOUT_MS, MAX_ENTRIES_FRAME_BYTES, MAX_JOIN_REQUEST_FRAME_BYTES } from './workspace-limits.js'
import { JOIN_PROTOCOL } from './protocol-ids.js'
import { JoinRequestFrame } from './workspace.js'
import { framedStream } from './framed-stream.js'
import { ask } from './ask.js'

/** What the workspace logic offers this protocol. */
export interface JoinAdmitter {
  /**
   * Admits the device of `proof`, made with the invite whose key is `inviteKey` (the key of the peer
   * at the other end of this Noise connection); resolves with the whole log once the admission is
   * durable. Rejects with a coded error (WorkspaceError or MembershipError) to refuse.
   */
  admit: (proof: JoinProof, inviteKey: Uint8Array) => Promise<SignedEntry[]>
  /** Called for every refused request, for logs and tests. */
  refused?: (from: string, code: string, message: string) => void
}

/** Listener side (the admin). */
export async function handleJoinStream (stream: Stream, connection: Connection, admitter: JoinAdmitter): Promise<void> {
  const signal = AbortSignal.timeout(JOIN_TIMEOUT_MS)
  const from = connection.remotePeer.toString()
  try {
    const pb = framedStream(stream, MAX_JOIN_REQUEST_FRAME_BYTES)
    let entries: SignedEntry[]
    try {
      const key = connection.remotePeer.publicKey?.raw
      if (key === undefined) throw new WorkspaceError('JOIN_REFUSED', 'the invitee has no public key')
      const frame = await readFrame(pb, JoinRequestFrame, 'join request', { signal }).catch(error => { throw struckFrameError(stream, error) })
      entries = await admitter.admit({ request: frame.request, requestSignature: frame.requestSignature, inviteSignature: frame.inviteSignature }, key)
    } catch (error) {
      if (error instanceof FailedStreamError) throw error // nobody to answer
      await writeRefusal(pb, error, 'the admin could not admit this device', signal, (code, message) => admitter.refused?.(from, code, message))
      await stream.close({ signal })
      return
    }
    await writeEntries(pb, entries, signal)
    await stream.close({ signal })
  } catch (error) {
    stream.abort(error as Error)
  }
}

/** Dialer side (the invitee), over a connection made with the invite key: the whole log, or a coded error. */
export async function requestJoin (connection: Connection, proof: JoinProof): Promise<SignedEntry[]> {
  return await ask(connection, JOIN_PROTOCOL, { timeoutMs: JOIN_TIMEOUT_MS, maxFrameBytes: MAX_ENTRIES_FRAME_BYTES }, async (pb, signal) => {
    await pb.write({ request: proof.request, requestSignature: proof.requestSignature, inviteSignature: proof.inviteSignature } as JoinRequestFrame, JoinRequestFrame, { signal })
    return await readEntries(pb, signal).catch(error => { throw frameError(error) })
  })
}
