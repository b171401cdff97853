// Query strings of the routes that do not answer JSON, and of the node proof. They import only zod, like schema.ts,
// and may move there when the UI needs them.
import { z } from 'zod'

export const EventsQuery = z.object({
  since: z.coerce.number().int().min(0).optional()
    .meta({ description: 'Resume after this event id: buffered frames after it are sent first, then live ones' }),
  epoch: z.string().optional()
    .meta({ description: 'The epoch the `since` id belongs to; if the daemon restarted since, `since` is ignored and every buffered frame is sent' })
}).meta({ id: 'EventsQuery' })

export const JournalExportQuery = z.object({
  with: z.string().optional().meta({ description: 'Only the conversation with this PeerId or display name' }),
  conversation: z.string().optional(),
  since: z.coerce.number().int().optional().meta({ description: 'Unix ms, inclusive' }),
  until: z.coerce.number().int().optional().meta({ description: 'Unix ms, exclusive' }),
  redact: z.stringbool().optional().meta({ description: 'Withhold message bodies; their salted hashes still verify' })
}).meta({ id: 'JournalExportQuery' })

export const NodeProofQuery = z.object({
  challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/).meta({ description: '32 random bytes, base64url without padding, fresh for each proof' })
}).meta({ id: 'NodeProofQuery' })

export const FileUploadQuery = z.object({
  name: z.string().min(1).max(1024).meta({ description: 'The file name; the node makes it safe (no path, no control characters, at most 255 bytes)' }),
  type: z.string().max(255).optional().meta({ description: 'Its media type; anything not type/subtype is sent as application/octet-stream' }),
  preview: z.stringbool().optional().meta({ description: 'true: an image\'s preview, to be named as the `preview` of its image in a send; its bytes count in the usage, and it is not counted as a file' })
}).meta({ id: 'FileUploadQuery' })

export const AttachmentContentQuery = z.object({
  inline: z.stringbool().optional().meta({ description: 'Serve a JPEG, PNG, WebP or GIF as itself, to show it; refused for any other type (never SVG or HTML)' })
}).meta({ id: 'AttachmentContentQuery' })

export type EventsQuery = z.infer<typeof EventsQuery>
export type JournalExportQuery = z.infer<typeof JournalExportQuery>
export type NodeProofQuery = z.infer<typeof NodeProofQuery>
export type FileUploadQuery = z.infer<typeof FileUploadQuery>
export type AttachmentContentQuery = z.infer<typeof AttachmentContentQuery>
