// The name of a received file, made safe to show and to save on any desk (Linux, macOS, Windows),
// while keeping what a person would recognise: its words and its extension. An attachment's name is
// chosen by its sender, so it may try to climb out of a folder (`../`), hide its real extension
// behind a right-to-left override ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf"), name a Windows
// device (`CON`, `COM1.txt`) or be too long for the file system.

/** Most file systems allow 255 bytes per name; UTF-8 is what Linux and macOS count. */
export const MAX_FILE_NAME_BYTES = 255
/** Extensions longer than this are not kept whole when a name is shortened. */
const MAX_KEPT_EXTENSION_CHARS = 16
const FALLBACK_NAME = 'file'

// Control characters; lone surrogates (not text); bidirectional overrides, embeddings, isolates and marks; zero-width spaces
// and the byte order mark, which make two different names look the same.
const INVISIBLE = /[\p{Cc}\p{Cs}\u061C\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu
// Path separators and the characters Windows refuses in a name.
const FORBIDDEN = /[/\\<>:"|?*]/g
// Windows device names, with or without an extension ("con.txt" is the console too).
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i

const encoder = new TextEncoder()
const utf8Length = (text: string): number => encoder.encode(text).length

/** A safe file name for `name`: never empty, never a path, at most 255 UTF-8 bytes. */
export function safeFileName (name: string): string {
  const cleaned = name.replace(INVISIBLE, '').normalize('NFC').replace(FORBIDDEN, '_')
  const shortened = shorten(trimEnds(cleaned))
  const trimmed = trimEnds(shortened)
  if (trimmed === '') return FALLBACK_NAME
  return isWindowsDevice(trimmed) ? `_${trimmed}` : trimmed
}

/** No leading dots or spaces (hidden files, `..`), no trailing dots or spaces (Windows drops them). */
function trimEnds (name: string): string {
  return name.replace(/^[\s.]+/u, '').replace(/[\s.]+$/u, '')
}

function isWindowsDevice (name: string): boolean {
  const stem = name.split('.')[0]!.trimEnd()
  return WINDOWS_DEVICE.test(stem)
}

/** Cuts the stem, whole characters at a time, so that the name with its extension fits. */
function shorten (name: string): string {
  // One byte is left for the '_' a Windows device name would be given.
  const budget = MAX_FILE_NAME_BYTES - 1
  if (utf8Length(name) <= budget) return name
  const dot = name.lastIndexOf('.')
  const extension = dot > 0 && name.length - dot <= MAX_KEPT_EXTENSION_CHARS + 1 ? name.slice(dot) : ''
  const stem = extension === '' ? name : name.slice(0, dot)
  return takeGraphemes(stem, budget - utf8Length(extension)) + extension
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

function takeGraphemes (text: string, maxBytes: number): string {
  let kept = ''
  let bytes = 0
  for (const { segment } of graphemes.segment(text)) {
    const length = utf8Length(segment)
    if (bytes + length > maxBytes) break
    kept += segment
    bytes += length
  }
  return kept
}
