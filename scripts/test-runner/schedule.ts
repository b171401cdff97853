// The order the integration, LAN and browser test files start in (scripts/test-runner/run.ts): the longest
// first, by the seconds in scripts/test-runner/weights.txt, then the files it does not list in the order
// given; the files it marks `waits` apart, longest first, to run beside the others.
import { readFileSync } from 'node:fs'

export interface Weight { seconds: number, waits: boolean }

export interface Schedule {
  /** The files that keep a core busy, longest first. */
  busy: string[]
  /** The files that mostly wait, longest first. */
  waiting: string[]
}

/** Parses the weights file: `<seconds> <path> [waits]` a line, `#` comments. */
export function parseWeights (text: string): Map<string, Weight> {
  const weights = new Map<string, Weight>()
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim()
    if (line === '') continue
    const [seconds, path, mark, ...rest] = line.split(/\s+/)
    if (path === undefined || !/^\d+$/.test(seconds ?? '') || (mark !== undefined && mark !== 'waits') || rest.length > 0) {
      throw new Error(`test weights, line ${index + 1}: expected "<seconds> <path> [waits]", got "${raw}"`)
    }
    weights.set(path, { seconds: Number(seconds), waits: mark === 'waits' })
  }
  return weights
}

export function readWeights (file: string): Map<string, Weight> {
  return parseWeights(readFileSync(file, 'utf8'))
}

/** Splits `files` into the busy and the waiting ones, each longest first (a stable sort: unlisted files keep their order, last). */
export function schedule (files: string[], weights: Map<string, Weight>): Schedule {
  const seconds = (file: string): number => weights.get(file)?.seconds ?? 0
  const longestFirst = (list: string[]): string[] => [...list].sort((a, b) => seconds(b) - seconds(a))
  return {
    busy: longestFirst(files.filter(file => weights.get(file)?.waits !== true)),
    waiting: longestFirst(files.filter(file => weights.get(file)?.waits === true))
  }
}
