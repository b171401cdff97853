// How the CLI shows a message's files: in --json, each as {id, name, size, type, sha256, state}
// (what a script needs to check and save it); in a table, a line per file under its message.
import type { AttachmentView } from '../api/schema.js'
import { byteSize } from '../api/size-words.js'

export type AttachmentSummary = Pick<AttachmentView, 'id' | 'name' | 'size' | 'type' | 'sha256' | 'state'>

export function attachmentSummary ({ id, name, size, type, sha256, state }: AttachmentView): AttachmentSummary {
  return { id, name, size, type, sha256, state }
}

/** The message as --json prints it: its attachments summarised, nothing else changed. */
export function withAttachmentSummaries<T extends { attachments?: AttachmentView[] | undefined }> (message: T): Omit<T, 'attachments'> & { attachments?: AttachmentSummary[] } {
  return message.attachments === undefined ? message : { ...message, attachments: message.attachments.map(attachmentSummary) }
}

/** "  file  Devis.pdf  1.2 MiB  application/pdf  fetching 40%  <id>": one per file, under the message's row. */
export function attachmentLines (message: { attachments?: AttachmentView[] | undefined }): string[] {
  return (message.attachments ?? []).map(a => `  file  ${a.name}  ${byteSize(a.size)}  ${a.type}  ${shownState(a)}  ${a.id}`)
}

function shownState (attachment: AttachmentView): string {
  if (attachment.state === 'fetching' && attachment.size > 0) return `fetching ${Math.floor(attachment.received * 100 / attachment.size)}%`
  return attachment.error === undefined ? attachment.state : `${attachment.state} (${attachment.error})`
}
