// A received attachment's state in words, for the card and under an image.
import type { AttachmentView, MessageView } from '../../../core/api/schema.js'
import { excerpt, type TextReader } from '../chat/text/excerpt.js'

/** Why a fetch is paused, by its error code: what happened, and what to do. */
const PAUSED: Partial<Record<string, string>> = {
  // The same code for the disk and the limit (core/files/attachment-store.ts): both are named.
  FILE_STORE_FULL: 'Paused: no room for it on this computer (the disk, or the space for files set in Settings, is full). Free some space or raise that limit: it then goes on by itself.',
  STORAGE_UNAVAILABLE: 'Paused: causette could not write it on this computer. It tries again by itself; if this lasts, restart causette.'
}

/** Why the node set it aside, by its error code: not the user's doing. */
const CANCELLED: Partial<Record<string, string>> = {
  // Past the files of one author it waits for (core/protocol/limits.ts).
  FILE_TOO_MANY_WAITING: 'Set aside: this colleague sent many files that are not here yet. Retry to fetch it now.',
  // Its chunk list is not the file its message states (core/files/chunk-list.ts): it could never open.
  FILE_HASH_MISMATCH: 'Refused: this file is not the one its message describes, so it was not fetched. Ask the sender to send it again.',
  // Another message named the same file first and described it otherwise (core/files/file-service.ts).
  FILE_ID_TAKEN: 'Refused: another message of this sender named this file first and described it otherwise, so it is not opened here. Ask the sender to send it again.'
}

/** Why it is not here yet, or undefined when it is (held) or coming now (the bar says so). */
export function stateText (attachment: Pick<AttachmentView, 'state' | 'error'>): string | undefined {
  switch (attachment.state) {
    // Without an error it is only queued: fetched two at a time, a file waits for those before it.
    case 'waiting': return attachment.error === undefined
      ? 'Queued: it comes once the files before it are here.'
      : 'Waiting: nobody who holds it is connected. It comes when one of them is.'
    case 'paused': return PAUSED[attachment.error ?? ''] ?? 'Paused.'
    case 'cancelled': return CANCELLED[attachment.error ?? ''] ?? 'Cancelled. Retry to fetch the rest.'
    default: return undefined
  }
}

/** A message of files alone, in a line: "Sent Devis.pdf", "Sent 3 files". */
export function filesSent (attachments: Array<Pick<AttachmentView, 'name'>>): string {
  if (attachments.length === 1) return `Sent ${attachments[0]!.name}`
  return `Sent ${attachments.length} files`
}

/**
 * A message in one line (a notification, the conversation list): its text as it reads rendered
 * (`read`: text-reader.svelte.ts's), or what files came when there is none (never their content).
 */
export function messageLine (message: Pick<MessageView, 'text' | 'attachments'>, read?: TextReader): string {
  return message.text === '' && message.attachments !== undefined ? filesSent(message.attachments) : excerpt(message.text, Infinity, read)
}
