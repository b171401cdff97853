// /causette/members/1.0.0: two members bring their membership logs level. Each side sends its head
// (workspace id, length, hash of the last entry), then the listener sends what the dialer lacks, then
// the dialer what the listener lacks: entries after the other's head when our log extends it, a
// refusal for another workspace, and our whole branch (after the genesis) when the logs fork, so that
// the other side can apply the fork rule (core/workspace/README.md, "Forks"). Received entries are
// verified one by one by the workspace logic (`MembersReplica.merge`) before they are stored. Only members may run it,
// and a removed device, which is shown the log up to its removal so that it learns of it.
import type { Connection, Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'
import { equals } from '../../crypto/encoding.js'
import type { MembershipLog, SignedEntry } from '../../crypto/membership-log.js'
import { workspaceCodeOf, WorkspaceError } from '../errors.js'
import { exchangeError, FailedStreamError, frameError, readEntries, refusalFrame, struckFrameError, writeEntries } from './workspace-entries.js'
import { readFrame } from './read-frame.js'
import { MAX_ENTRIES_FRAME_BYTES, MEMBERS_TIMEOUT_MS } from './workspace-limits.js'
import { MEMBERS_PROTOCOL } from './protocol-ids.js'
import { EntriesFrame, MembersHead } from './workspace.js'
import { framedStream } from './framed-stream.js'
import { ask } from './ask.js'

/** What the workspace logic offers this protocol. */
export interface MembersReplica {
  readonly log: MembershipLog | undefined
  isMember: (peerId: string) => boolean
  /** The seq of the entry that removed this peer's device, if one did (it may still ask, and hears the log up to there). */
  removedAt?: (peerId: string) => number | undefined
  /** Verifies and stores entries in log order (those held are skipped); rejects with a coded error on the first invalid one. */
  merge: (entries: SignedEntry[]) => Promise<unknown>
  /** Called for every refusal (ours or the peer's), for logs and tests. */
  refused?: (peer: string, code: string, message: string) => void
}

export interface SyncResult { received: number, sent: number }

/** The part of the log we show a peer: all of it, or a prefix (to a removed device, up to its removal). */
type LogView = Pick<MembershipLog, 'workspaceId' | 'length' | 'head' | 'hashAt' | 'entries'>

function prefix (log: MembershipLog, length: number): LogView {
  return {
    workspaceId: log.workspaceId,
    length,
    head: log.hashAt(length - 1)!,
    hashAt: seq => seq < length ? log.hashAt(seq) : undefined,
    entries: (from = 0, to = length) => log.entries(from, Math.min(to, length))
  }
}

/** Our log as this peer may see it: a removed device, nothing after its removal (who joined since, their keys). */
function shownTo (replica: MembersReplica, peer: string): LogView | undefined {
  const removal = replica.isMember(peer) ? undefined : replica.removedAt?.(peer)
  return removal === undefined || replica.log === undefined ? replica.log : prefix(replica.log, removal + 1)
}

function headOf (log: LogView | undefined): MembersHead {
  if (log === undefined) return { workspace: '', length: 0, head: new Uint8Array(0) } as MembersHead
  return { workspace: log.workspaceId, length: log.length, head: log.head } as MembersHead
}

/**
 * When their head is past ours, the listener (which speaks first) cannot tell a longer log from a
 * fork and sends nothing; the dialer speaks after merging what the listener sent, so a head it still
 * does not hold is a fork that it won: it sends its branch.
 */
type PastOurHead = 'nothing' | 'branch'

/** The entries the other side lacks, or why we cannot say. */
function lacking (log: LogView | undefined, theirs: MembersHead, pastOurHead: PastOurHead): SignedEntry[] | WorkspaceError {
  if (log === undefined) return new WorkspaceError('WORKSPACE_NONE', 'this node belongs to no workspace')
  if (theirs.workspace !== log.workspaceId) return new WorkspaceError('MEMBERSHIP_WRONG_WORKSPACE', 'membership: the peer\'s log is of another workspace')
  if (theirs.length === 0) return []
  if (theirs.length > log.length) return pastOurHead === 'branch' ? log.entries(1) : []
  if (!equals(log.hashAt(theirs.length - 1)!, theirs.head)) return log.entries(1) // a fork: our branch, for the rule
  return log.entries(theirs.length)
}

async function sendLacking (pb: ProtobufStream, log: LogView | undefined, theirs: MembersHead, signal: AbortSignal, pastOurHead: PastOurHead): Promise<number> {
  const entries = lacking(log, theirs, pastOurHead)
  if (entries instanceof WorkspaceError) {
    await pb.write(refusalFrame(entries.code, entries.message), EntriesFrame, { signal })
    throw entries
  }
  await writeEntries(pb, entries, signal)
  return entries.length
}

/** `named` names a failed read: `frameError`, or on the listener side `struckFrameError`, which strikes a bad frame. */
async function receive (pb: ProtobufStream, replica: MembersReplica, signal: AbortSignal, named: (error: unknown) => Error = frameError): Promise<number> {
  const entries = await readEntries(pb, signal).catch(error => { throw named(error) })
  if (entries.length > 0) await replica.merge(entries)
  return entries.length
}

/**
 * A failed exchange named (`exchangeError`) and reported refused, unless it is a failed stream: a
 * peer that reset or closed it, or the deadline, is nobody's refusal (no bad frame from a peer that
 * only hung up).
 */
function failure (replica: MembersReplica, peer: string, error: unknown): Error {
  const named = exchangeError(error)
  if (!(named instanceof FailedStreamError)) replica.refused?.(peer, workspaceCodeOf(named) ?? 'MEMBERS_BAD_FRAME', named.message)
  return named
}

/** Listener side. */
export async function handleMembersStream (stream: Stream, connection: Connection, replica: MembersReplica): Promise<void> {
  const peer = connection.remotePeer.toString()
  if (!replica.isMember(peer) && replica.removedAt?.(peer) === undefined) {
    replica.refused?.(peer, 'MEMBERSHIP_NOT_MEMBER', 'members protocol from a peer that is not a member')
    stream.abort(new Error('not a member'))
    return
  }
  const shown = shownTo(replica, peer)
  const signal = AbortSignal.timeout(MEMBERS_TIMEOUT_MS)
  try {
    const pb = framedStream(stream, MAX_ENTRIES_FRAME_BYTES)
    const struck = (error: unknown): Error => struckFrameError(stream, error)
    const theirs = await readFrame(pb, MembersHead, 'members head', { signal }).catch(error => { throw struck(error) })
    await pb.write(headOf(shown), MembersHead, { signal })
    await sendLacking(pb, shown, theirs, signal, 'nothing')
    await receive(pb, replica, signal, struck)
    await stream.close({ signal })
  } catch (error) {
    // A write or close fails with its stream (the dialer reset it after we read its head): not reported.
    stream.abort(failure(replica, peer, error))
  }
}

async function remoteClosed (stream: Stream, signal: AbortSignal): Promise<void> {
  if (stream.remoteWriteStatus === 'closed' || stream.status !== 'open') return
  await new Promise<void>((resolve, reject) => {
    const done = (): void => { signal.removeEventListener('abort', timeout); resolve() }
    const timeout = (): void => { reject(signal.reason) }
    stream.addEventListener('remoteCloseWrite', done, { once: true })
    stream.addEventListener('close', done, { once: true })
    signal.addEventListener('abort', timeout, { once: true })
  })
}

/**
 * Dialer side, over an open connection to a member; resolves once the listener has stored what we
 * sent. Throws the first coded refusal (ours or the peer's, or a bad frame: MEMBERS_BAD_FRAME), or a
 * FailedStreamError when the stream failed (reset, closed early, the deadline), which is nobody's
 * refusal and is not reported.
 */
export async function syncMembers (connection: Connection, replica: MembersReplica): Promise<SyncResult> {
  const peer = connection.remotePeer.toString()
  const shown = shownTo(replica, peer)
  // The listener closes once it has stored what we sent: `remoteClosed` waits for that.
  const options = { timeoutMs: MEMBERS_TIMEOUT_MS, maxFrameBytes: MAX_ENTRIES_FRAME_BYTES, afterClose: remoteClosed }
  try {
    return await ask(connection, MEMBERS_PROTOCOL, options, async (pb, signal) => {
      await pb.write(headOf(shown), MembersHead, { signal })
      const theirs = await pb.read(MembersHead, { signal }).catch(error => { throw frameError(error) })
      const received = await receive(pb, replica, signal)
      // `shown` grew with what we merged; after a fork we lost it is still the branch we left, which
      // the listener (the winner) then sees, so that it too records the fork.
      const sent = await sendLacking(pb, shown, theirs, signal, 'branch')
      return { received, sent }
    })
  } catch (error) {
    throw failure(replica, peer, error)
  }
}
