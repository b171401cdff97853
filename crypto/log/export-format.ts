// The export file's lines (docs/log-format.md). One record per line, fields separated by one space,
// binary values in standard base64, integers in decimal. The file is read top to bottom in one pass.
import { decodeBase64, encodeBase64 as toBase64 } from '../base64.js'
import { HASH_BYTES } from './primitives.js'

export const EXPORT_MAGIC = 'causette-journal-export'
export const EXPORT_VERSION = 1
export const SCOPES = ['full', 'subset'] as const
export type Scope = typeof SCOPES[number]

export const line = {
  header: (): string => `${EXPORT_MAGIC} ${EXPORT_VERSION}`,
  key: (vkey: string): string => `key ${vkey}`,
  scope: (scope: Scope): string => `scope ${scope}`,
  checkpoint: (note: Uint8Array): string => `checkpoint ${toBase64(note)}`,
  /** An earlier checkpoint's size and root, and the proof that this checkpoint extends it. */
  consistency: (oldSize: number, oldRoot: Uint8Array, proof: Uint8Array[]): string => ['consistency', String(oldSize), toBase64(oldRoot), ...proof.map(toBase64)].join(' '),
  /** The leaf hash is a locator, not a trust anchor: it lets a verifier name the line an edit touched. */
  entry: (index: number, leafHash: Uint8Array, leaf: Uint8Array): string => `entry ${index} ${toBase64(leafHash)} ${toBase64(leaf)}`,
  body: (salt: Uint8Array, body: Uint8Array): string => `body ${toBase64(salt)} ${toBase64(body)}`,
  proof: (hashes: Uint8Array[]): string => ['proof', ...hashes.map(toBase64)].join(' '),
  end: (): string => 'end'
}

/** Each line ends with one LF (0x0A), the last one too; a CR before it is refused (docs/log-format.md §4). */
export const CARRIAGE_RETURN = '\r'
/**
 * What a reader passes after the last line when the file does not end with a newline. A line never
 * holds a newline, so this value is never a line of the file.
 */
export const NO_FINAL_NEWLINE = '\n'

/** Splits a whole file's text into the lines a verifier is fed (NO_FINAL_NEWLINE last when the final LF is missing). */
export function exportTextLines (text: string): string[] {
  const lines = text.split('\n')
  const last = lines.pop()!
  return last === '' ? lines : [...lines, last, NO_FINAL_NEWLINE]
}

export const TAGS = ['key', 'scope', 'checkpoint', 'consistency', 'entry', 'body', 'proof', 'end'] as const
export type Tag = typeof TAGS[number]

/** Splits a line into its tag and fields; undefined when the tag is unknown. */
export function splitLine (text: string): { tag: Tag, fields: string[] } | undefined {
  const [tag, ...fields] = text.split(' ')
  return (TAGS as readonly string[]).includes(tag!) ? { tag: tag as Tag, fields } : undefined
}

export function parseIndex (text: string | undefined): number | undefined {
  if (text === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : undefined
}

export function parseHashes (fields: string[]): Uint8Array[] | undefined {
  const hashes: Uint8Array[] = []
  for (const field of fields) {
    const hash = decodeBase64(field, HASH_BYTES)
    if (hash === undefined) return undefined
    hashes.push(hash)
  }
  return hashes
}
