// Membership log entries on the wire: toWire/fromWire, and a log written as a run of bounded
// EntriesFrame frames (`more` on all but the last) or a coded refusal.
import type { Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'
import type { SignedEntry } from '../../crypto/membership-log.js'
import { isWorkspaceError, workspaceCodeOf, WorkspaceError, type WorkspaceErrorCode } from '../errors.js'
import { frameFault, readFrame } from './read-frame.js'
import { strikeIfFrameFault } from './stream-limiter.js'
import { MAX_ENTRIES_FRAME_BYTES, MAX_ENTRIES_PER_EXCHANGE, MAX_WIRE_ENTRY_BYTES } from './workspace-limits.js'
import { EntriesFrame, type LogEntry } from './workspace.js'

type FrameStream = Pick<ProtobufStream, 'read' | 'write'>

export const toWire = (e: SignedEntry): LogEntry => ({ bytes: e.bytes, signature: e.signature }) as LogEntry
const fromWire = (e: LogEntry): SignedEntry => ({ bytes: e.bytes, signature: e.signature })

export function refusalFrame (code: string, message: string): EntriesFrame {
  return { entries: [], errorCode: code, errorMessage: message, more: false }
}

/** Frames of at most MAX_ENTRIES_FRAME_BYTES; always at least one (empty when there is nothing). */
export function entryFrames (entries: SignedEntry[]): EntriesFrame[] {
  const frames: EntriesFrame[] = []
  let current: LogEntry[] = []
  let size = 0
  for (const entry of entries) {
    const cost = entry.bytes.length + entry.signature.length + 16
    if (current.length > 0 && size + cost > MAX_ENTRIES_FRAME_BYTES - 64) {
      frames.push({ entries: current, errorCode: '', errorMessage: '', more: true })
      current = []
      size = 0
    }
    current.push(toWire(entry))
    size += cost
  }
  frames.push({ entries: current, errorCode: '', errorMessage: '', more: false })
  return frames
}

/**
 * Answers a refused request with its coded refusal (a coded error's own words; `otherwise` for any
 * other error) and reports it to `refused`.
 */
export async function writeRefusal (pb: FrameStream, error: unknown, otherwise: string, signal: AbortSignal, refused: ((code: string, message: string) => void) | undefined): Promise<void> {
  const code = workspaceCodeOf(error) ?? 'JOIN_REFUSED'
  const message = workspaceCodeOf(error) !== undefined ? (error as Error).message : otherwise
  refused?.(code, message)
  await pb.write(refusalFrame(code, message), EntriesFrame, { signal })
}

export async function writeEntries (pb: FrameStream, entries: SignedEntry[], signal: AbortSignal): Promise<void> {
  for (const frame of entryFrames(entries)) await pb.write(frame, EntriesFrame, { signal })
}

/** Reads frames until the last; a refusal frame is thrown as a WorkspaceError with its code. */
export async function readEntries (pb: FrameStream, signal: AbortSignal): Promise<SignedEntry[]> {
  const entries: SignedEntry[] = []
  while (true) {
    const frame = await readFrame(pb, EntriesFrame, 'entries frame', { signal })
    if (frame.errorCode !== '') throw new WorkspaceError(frame.errorCode as WorkspaceErrorCode, frame.errorMessage)
    for (const entry of frame.entries) {
      if (entry.bytes.length + entry.signature.length > MAX_WIRE_ENTRY_BYTES) throw new WorkspaceError('MEMBERS_BAD_FRAME', 'an entry over the size limit')
      entries.push(fromWire(entry))
    }
    if (entries.length > MAX_ENTRIES_PER_EXCHANGE) throw new WorkspaceError('MEMBERS_BAD_FRAME', `over ${MAX_ENTRIES_PER_EXCHANGE} entries in one exchange`)
    if (!frame.more) return entries
  }
}

/** A frame that did not decode or was too large, as a coded error; any other error as it is. */
export function frameError (error: unknown): Error {
  const fault = frameFault(error)
  if (fault !== undefined) return new WorkspaceError('MEMBERS_BAD_FRAME', `undecodable or oversized frame (${fault.message})`, { cause: error })
  // A frame read with pb.read rather than readFrame: protons-runtime throws a RangeError past the
  // end of the bytes (or on groups nested deeper than the stack) and a bare Error for an invalid
  // wire type or varint.
  const name = (error as Error).name
  if (error instanceof RangeError || (error as Error)?.constructor === Error) {
    return new WorkspaceError('MEMBERS_BAD_FRAME', `undecodable or oversized frame (${name})`, { cause: error })
  }
  return error as Error
}

/**
 * An exchange that failed with its stream (reset, closed early, its deadline): nobody's fault, no
 * refusal; a listener has nobody to answer.
 */
export class FailedStreamError extends Error {
  override name = 'FailedStreamError'
}

/**
 * A failed exchange named: a workspace refusal (ours, the peer's refusal frame, an entry past its
 * bounds) as it is, a frame out of bounds or undecodable as `frameError` codes it, anything else
 * as the FailedStreamError it is.
 */
export function exchangeError (error: unknown): Error {
  if (isWorkspaceError(error) || error instanceof FailedStreamError) return error
  const named = frameError(error)
  return isWorkspaceError(named) ? named : new FailedStreamError(named?.message ?? String(named), { cause: error })
}

/**
 * A listener's failed read of the peer's frame, as `exchangeError` names it; a frame out of bounds
 * or undecodable (read with readFrame) is also a strike against the peer (`strikeIfFrameFault`), a
 * stream that failed none (the debug line is strikeIfFrameFault's), nor a workspace refusal.
 */
export function struckFrameError (stream: Stream, error: unknown): Error {
  if (!isWorkspaceError(error)) strikeIfFrameFault(stream, error)
  return exchangeError(error)
}
