// The part of a message a result shows: around its first highlighted word, at most EXCERPT_CHARS,
// with "…" where it was cut, and the highlights moved to the excerpt's offsets.

export const EXCERPT_CHARS = 160
const BEFORE_FIRST = 40

export interface Excerpt { text: string, highlights: Array<[number, number]> }

export function excerptOf (text: string, highlights: Array<[number, number]>): Excerpt {
  const first = highlights[0]?.[0] ?? 0
  const start = text.length <= EXCERPT_CHARS ? 0 : wordStartBefore(text, Math.max(0, first - BEFORE_FIRST))
  const end = Math.min(text.length, start + EXCERPT_CHARS)
  const lead = start > 0 ? '…' : ''
  const shift = lead.length - start
  return {
    text: lead + text.slice(start, end) + (end < text.length ? '…' : ''),
    highlights: highlights.filter(([from, to]) => from >= start && to <= end).map(([from, to]): [number, number] => [from + shift, to + shift])
  }
}

/** Where a word starts at or before `at`, so the excerpt does not open in the middle of one. */
function wordStartBefore (text: string, at: number): number {
  const space = text.lastIndexOf(' ', at)
  return space < 0 || at - space > 20 ? at : space + 1
}
