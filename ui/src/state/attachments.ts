// What an `attachment` event changes in a message the app holds: the attachment itself (its state,
// progress, speed), or the state of the preview it shows first; never one set aside (FILE_ID_TAKEN),
// whose id's events are another message's. Messages that do not carry it stay
// the same object, so the screens redraw only those that do.
import type { AttachmentView } from '../../../core/api/schema.js'

export interface CarriesAttachments { attachments?: AttachmentView[] }

/** `message` with `view` in place of its copy of that attachment (or of that preview); itself if it carries neither. */
export function withAttachment<T extends CarriesAttachments> (message: T, view: AttachmentView): T {
  const attachments = message.attachments
  if (attachments === undefined || !attachments.some(known => carries(known, view.id))) return message
  return { ...message, attachments: attachments.map(known => updated(known, view)) }
}

function carries (known: AttachmentView, id: string): boolean {
  return known.id === id || known.preview?.id === id
}

function updated (known: AttachmentView, view: AttachmentView): AttachmentView {
  // Set aside: the node's events of that id are another message's description of it.
  if (known.error === 'FILE_ID_TAKEN') return known
  if (known.id === view.id) return { ...view, preview: view.preview ?? known.preview }
  if (known.preview?.id === view.id) return { ...known, preview: { ...known.preview, state: view.state } }
  return known
}
