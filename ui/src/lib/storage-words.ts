// The node's storage trouble in words for someone with no IT skills: the banner while writes are
// refused, the quieter notice after damage was found at start, and the composer's refusal (of a
// message, or of a file's upload for room). The node detects it (core/store/recoverable-level.ts,
// core/files/attachment-store.ts); this only words it.
import type { NodeStatus } from '../../../core/api/schema.js'
import { ApiRequestError } from '../api/request-error.js'

type Cause = 'disk-full' | 'file-handles' | 'other'

/** What the node's message (core/store/recoverable-level.ts describeFault) says went wrong. */
function causeOf (message: string | undefined): Cause {
  if (message !== undefined && /disk is full/i.test(message)) return 'disk-full'
  if (message !== undefined && /file handles/i.test(message)) return 'file-handles'
  return 'other'
}

const BANNER: Record<Cause, string> = {
  'disk-full': 'Your disk is full: causette cannot save new messages until space is freed. Nothing already saved is lost.',
  'file-handles': 'causette has too many files open and cannot save new messages until it can write again (restarting causette helps). Nothing already saved is lost.',
  other: 'causette cannot write to its storage, so it cannot save new messages for now. Nothing already saved is lost.'
}

const REFUSAL: Record<Cause, string> = {
  'disk-full': 'your disk is full, so causette cannot save this message. Free some space on this computer, then send it again.',
  'file-handles': 'causette has too many files open and cannot save this message. Send it again in a moment, or restart causette.',
  other: 'causette cannot write to its storage, so it cannot save this message. Send it again later.'
}

/** The banner while writes are refused: undefined when they succeed. */
export function storageWarning (storage: NodeStatus['storage'] | undefined): string | undefined {
  return storage?.state === 'unwritable' ? BANNER[causeOf(storage.message)] : undefined
}

/** The notice when damaged data was found when the node started (README: `causette doctor`). */
export function damageNotice (storage: NodeStatus['storage'] | undefined): string | undefined {
  if (storage === undefined || storage.damage.length === 0) return undefined
  return 'Some saved data was found damaged when causette started. Ask whoever looks after this computer to stop causette and run "causette doctor".'
}

/** A file refused for room (FILE_STORE_FULL): one code for the disk and for the limit set in Settings, told apart by the node's message. */
const NO_ROOM: Record<'disk-full' | 'limit', string> = {
  'disk-full': 'your disk is full. Free some space on this computer, then retry.',
  limit: 'it does not fit in the space for files set in Settings. Raise that limit, then retry.'
}

/** Why a message or a file was not sent, in words: the node's own message unless its storage refused it. */
export function sendRefusal (failure: unknown): string {
  if (failure instanceof ApiRequestError && failure.code === 'STORAGE_UNAVAILABLE') return REFUSAL[causeOf(failure.message)]
  if (failure instanceof ApiRequestError && failure.code === 'FILE_STORE_FULL') return NO_ROOM[causeOf(failure.message) === 'disk-full' ? 'disk-full' : 'limit']
  return failure instanceof Error ? failure.message : String(failure)
}
