// How a receiver answers what it could not take. A fault of the sender's frame or message has its
// own code, and is final for the sender. A fault of the receiver itself (it cannot write now: a full
// disk, no file handles; or an unexpected error, which may be an uncoded LevelDB error) is never a
// final answer: it is answered STORAGE_UNAVAILABLE or INTERNAL, and the sender keeps the message
// and tries again later. So is SENDER_KEY_TOO_SOON: a member's fresh sender key chain taken once its
// earlier chains carried a message here (core/channels/receiver.ts), which an honest sender's do.
import { codedError, type ErrorCode } from '../errors.js'

/** Answers that mean "not now": the sender keeps the message queued and tries again. */
export const RETRY_LATER: ReadonlySet<string> = new Set<ErrorCode>(['STORAGE_UNAVAILABLE', 'INTERNAL', 'SENDER_KEY_TOO_SOON'])

/** System error codes of a disk or file table that cannot take a write now. */
const STORAGE_ERRNO = new Set(['ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'EIO', 'EROFS'])

/** Whether an uncoded error comes from the store (LevelDB's own errors carry no errno). */
function isStorageFault (error: unknown): boolean {
  const { code, message } = error instanceof Error ? error as Error & { code?: unknown } : { code: undefined, message: String(error) }
  if (typeof code === 'string' && (STORAGE_ERRNO.has(code) || code.startsWith('LEVEL_'))) return true
  return /IO error|No space left|Too many open files/i.test(message)
}

/** The code and message that answer `error`: its own code if it has one; a fault of ours otherwise. */
export function refusalOf (error: unknown): { code: ErrorCode, message: string } {
  const coded = codedError(error)
  if (coded !== undefined) return { code: coded.code, message: coded.message }
  return isStorageFault(error)
    ? { code: 'STORAGE_UNAVAILABLE', message: 'the receiver cannot write now; try again later' }
    : { code: 'INTERNAL', message: 'the receiver failed unexpectedly; try again later' }
}

/** Whether `error` is a fault of the receiver itself, not of what it was given: never final. */
export function isReceiverFault (error: unknown): boolean {
  return RETRY_LATER.has(refusalOf(error).code)
}
