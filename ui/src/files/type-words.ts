// What a file card says of a file's type: "PDF document", "Excel spreadsheet", never the raw media
// type ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" means nothing to a
// colleague and breaks a phone's line). Only words: nothing is ever rendered by its type here.

/** The types an office sends most, in words. */
const KNOWN: Partial<Record<string, string>> = {
  'application/pdf': 'PDF document',
  'application/zip': 'ZIP archive',
  'application/x-zip-compressed': 'ZIP archive',
  'application/x-7z-compressed': '7-Zip archive',
  'application/gzip': 'compressed file',
  'application/x-tar': 'TAR archive',
  'application/msword': 'Word document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.ms-excel': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'application/vnd.ms-powerpoint': 'PowerPoint presentation',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint presentation',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet',
  'application/vnd.oasis.opendocument.presentation': 'OpenDocument presentation',
  'application/rtf': 'RTF document',
  'application/json': 'JSON file',
  'application/xml': 'XML file',
  'text/plain': 'text file',
  'text/csv': 'CSV table',
  'text/html': 'web page (HTML)',
  'text/calendar': 'calendar event',
  'text/vcard': 'contact card',
  'message/rfc822': 'email',
  'image/jpeg': 'JPEG image',
  'image/png': 'PNG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'image/svg+xml': 'SVG image',
  'image/heic': 'HEIC photo',
  'image/tiff': 'TIFF image'
}

/** The families a type not in the table still says something by. */
const FAMILIES: Partial<Record<string, string>> = { image: 'image', audio: 'audio', video: 'video', text: 'text file', font: 'font' }

/** "PDF document", "Excel spreadsheet", "video"; "file" when the type says nothing a person reads. */
export function typeText (type: string): string {
  const bare = type.split(';')[0]!.trim().toLowerCase()
  return KNOWN[bare] ?? FAMILIES[bare.split('/')[0]!] ?? 'file'
}
