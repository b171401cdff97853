// The newest messages that hold every query word: a leapfrog intersection of the words' cursors.
// Each cursor jumps to the oldest head among them until all stand on one place, so a rare word paired
// with a common one costs about as many seeks as the rare word has postings, not a scan of the common one.
import type { TermCursor } from './term-cursor.js'

/** Bounds the work of one search however the postings fall (each step is one seek or advance per cursor). */
export const MAX_INTERSECTION_STEPS = 20_000

export interface Intersection {
  /** Places (postingPlace) newest first. */
  places: string[]
  /** The step bound stopped the search before the postings ran out. */
  cut: boolean
}

export async function newestCommon (cursors: TermCursor[], wanted: number): Promise<Intersection> {
  const places: string[] = []
  for (let steps = 0; places.length < wanted; steps++) {
    if (steps >= MAX_INTERSECTION_STEPS) return { places, cut: true }
    const heads = cursors.map(cursor => cursor.head)
    if (heads.some(head => head === undefined)) break
    const oldest = (heads as string[]).reduce((a, b) => (a > b ? a : b))
    if (heads.every(head => head === oldest)) {
      places.push(oldest)
      await Promise.all(cursors.map(async cursor => { await cursor.advance() }))
    } else {
      await Promise.all(cursors.map(async cursor => { await cursor.seek(oldest) }))
    }
  }
  return { places, cut: false }
}
