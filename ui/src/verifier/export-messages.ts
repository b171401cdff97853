// The messages of a journal export as a person reads them (who wrote, when, what), and a failed
// check in words a manager understands ("The message from Bruno Martin at 14:02 on 4 Dec was
// changed after it was recorded") rather than the verifier's ("entry 9 (line 21): …").
// Read from the file's own lines: the list is shown only once the whole file verified.
import { decodeBase64 } from '../../../crypto/base64.js'
import { fromUtf8 } from '../../../crypto/encoding.js'
import { parseCanonicalJson, type LeafObject } from '../../../crypto/log/canonical-json.js'
import { splitLine } from '../../../crypto/log/export-format.js'
import { ed25519PeerId } from '../../../crypto/log/peer-id.js'
import { parseStatement } from '../../../crypto/statement.js'
import { momentText } from '../lib/time.js'

export interface ExportedMessage {
  /** The journal entry (its index in the journal). */
  entry: number
  /** The author's PeerId, from the signed statement. */
  author: string
  /** The author's clock when they sent it (signed). */
  time: number
  /** The message id, from the signed statement. */
  id: string
  /** The text, when the export discloses the body. */
  text?: string
  /** What the entry does to an earlier message (its body says so): edit it, delete it, react to it. */
  amends?: { kind: 'edit' | 'retract' | 'reaction', id: string, reaction?: string, removed?: boolean }
  /** On a message its author later edited: the later versions, oldest first. */
  laterVersions?: string[]
  /** On a message its author later deleted. */
  deleted?: true
  /** Why its author marked it urgent (signed in the statement): it broke through the recipient's focus. */
  urgent?: string
  /** The files it carried, as its disclosed body describes them (what `causette file save` checks a saved copy against). */
  files?: ExportedFile[]
}

export interface ExportedFile { name: string, size: number, type: string, sha256: string }

const MESSAGE_KINDS = new Set(['message-sent', 'message-received'])

/** The messages among the file's entries, oldest entry first, with their disclosed texts. */
export function exportedMessages (lines: string[]): ExportedMessage[] {
  const messages: ExportedMessage[] = []
  let last: ExportedMessage | undefined
  for (const text of lines) {
    const parsed = splitLine(text)
    if (parsed?.tag === 'entry') {
      last = messageOf(Number(parsed.fields[0]), parsed.fields[2])
      if (last !== undefined) messages.push(last)
    } else if (parsed?.tag === 'body' && last !== undefined) {
      Object.assign(last, bodyOf(parsed.fields[1]))
    }
  }
  return withHistory(messages)
}

/** Each message with what its author later did to it in this file: the versions of an edit, a deletion. */
function withHistory (messages: ExportedMessage[]): ExportedMessage[] {
  const byId = new Map(messages.map(m => [m.id, m]))
  for (const message of messages) {
    const original = message.amends === undefined ? undefined : byId.get(message.amends.id)
    if (original === undefined || original.author !== message.author || original.amends !== undefined) continue
    if (message.amends?.kind === 'edit' && message.text !== undefined) original.laterVersions = [...original.laterVersions ?? [], message.text]
    if (message.amends?.kind === 'retract') original.deleted = true
  }
  return messages
}

export interface VerifyFailure {
  /** The verifier's own words, as `causette log verify` prints them. */
  message: string
  line: number
  entry?: number
}

/** A failed check in plain words; `nameOf` names a PeerId (the app's colleagues), when it can. */
export function failureWords (failure: VerifyFailure, lines: string[], nameOf: (peerId: string) => string | undefined): string {
  if (failure.entry === undefined) return `The file is not a complete, unaltered causette export: it goes wrong at line ${failure.line}.`
  const entry = leafAt(lines, failure.entry)
  const message = entry === undefined ? undefined : messageOf(failure.entry, entry.leaf)
  if (message !== undefined) {
    const author = nameOf(message.author) ?? `an unknown sender (${shortPeerId(message.author)})`
    return `The message from ${author} at ${momentText(message.time)} was changed after it was recorded.`
  }
  const what = entry?.kind === undefined ? 'A record' : `A record (${entry.kind.replace('-', ' ')})`
  return `${what} in this journal was changed after it was recorded, at line ${failure.line} of the file.`
}

function leafAt (lines: string[], index: number): { leaf: string, kind?: string } | undefined {
  for (const text of lines) {
    const parsed = splitLine(text)
    if (parsed?.tag !== 'entry' || parsed.fields[0] !== String(index)) continue
    const kind = leafObject(parsed.fields[2])?.kind
    return { leaf: parsed.fields[2] ?? '', ...(typeof kind === 'string' ? { kind } : {}) }
  }
  return undefined
}

function messageOf (entry: number, leafText: string | undefined): ExportedMessage | undefined {
  const leaf = leafObject(leafText)
  if (leaf === undefined || !MESSAGE_KINDS.has(String(leaf.kind)) || typeof leaf.statement !== 'string') return undefined
  const bytes = decodeBase64(leaf.statement)
  if (bytes === undefined) return undefined
  try {
    const statement = parseStatement(bytes)
    return { entry, id: statement.id, author: ed25519PeerId(statement.author), time: statement.time, ...(statement.urgent !== undefined ? { urgent: statement.urgent } : {}) }
  } catch {
    return undefined
  }
}

/** A leaf as its object; undefined if it does not parse (an altered one may not). */
function leafObject (text: string | undefined): LeafObject | undefined {
  const bytes = decodeBase64(text ?? '')
  if (bytes === undefined) return undefined
  try {
    return parseCanonicalJson(fromUtf8(bytes))
  } catch {
    return undefined
  }
}

/**
 * A body's text and what it does (core/messaging/body.ts, docs/log-format.md §1): JSON with a `text`
 * and, for an edit, a deletion or a reaction, the message it names; a body that is not JSON is its
 * text (older 1:1 messages).
 */
function bodyOf (base64: string | undefined): Pick<ExportedMessage, 'text' | 'amends' | 'files'> {
  const bytes = decodeBase64(base64 ?? '')
  if (bytes === undefined) return {}
  const text = fromUtf8(bytes)
  if (!text.startsWith('{')) return { text }
  let body: { text?: unknown, reaction?: unknown, replyTo?: unknown, removed?: unknown, edit?: unknown, retract?: unknown, attachments?: unknown }
  try { body = JSON.parse(text) as typeof body } catch { return { text } }
  if (typeof body.edit === 'string' && typeof body.text === 'string') return { text: body.text, amends: { kind: 'edit', id: body.edit } }
  if (typeof body.retract === 'string') return { text: '', amends: { kind: 'retract', id: body.retract } }
  if (typeof body.reaction === 'string' && typeof body.replyTo === 'string') {
    return { text: body.removed === true ? `Took back ${body.reaction}` : `Reacted ${body.reaction}`, amends: { kind: 'reaction', id: body.replyTo, reaction: body.reaction, removed: body.removed === true } }
  }
  const files = filesOf(body.attachments)
  return { ...(typeof body.text === 'string' ? { text: body.text } : { text }), ...(files.length > 0 ? { files } : {}) }
}

/** The files a body's attachments describe (core/files/descriptor.ts); an entry that does not read as one is left out. */
function filesOf (attachments: unknown): ExportedFile[] {
  if (!Array.isArray(attachments)) return []
  return attachments.flatMap((file: Record<string, unknown> | null) => {
    if (typeof file !== 'object' || file === null) return []
    const { name, size, type, sha256 } = file
    return typeof name === 'string' && typeof size === 'number' && typeof type === 'string' && typeof sha256 === 'string' ? [{ name, size, type, sha256 }] : []
  })
}

function shortPeerId (peerId: string): string {
  return `${peerId.slice(0, 8)}…${peerId.slice(-4)}`
}
