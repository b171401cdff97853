// Shared pieces of the fuzz tests: fast-check parameters from the environment, the damage done to
// valid input (truncation, bit flips, spliced bytes, shuffled lines), and a tally of what each
// decoder accepted and refused. The property is always the same: a decoder returns, in bounded time,
// a value that satisfies its own invariants (re-encodes to what was read), or throws the error it is
// documented to throw, never another exception; and a property that damages valid input must see
// both outcomes, or it tested nothing (test/unit/fuzz-helper.test.ts shows each way it fails).
import assert from 'node:assert/strict'
import vm from 'node:vm'
import fc from 'fast-check'
import { bounding, boundedRun, HangError, withinBound } from './hang-watchdog.js'

/**
 * fast-check parameters. FUZZ_SEED replays a run (fast-check prints the seed and the path of any
 * failure); FUZZ_RUNS sets the runs of every property, for longer runs than the default.
 */
export function fuzzParameters<T> (defaultRuns: number): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED
  const runs = process.env.FUZZ_RUNS
  return {
    includeErrorInReport: true,
    numRuns: runs === undefined || runs === '' ? defaultRuns : Number(runs),
    ...(seed === undefined || seed === '' ? {} : { seed: Number(seed) })
  }
}

/** Counts, per decoder or protocol, the cases of each outcome (accepted, refused; closed, reset...). */
export class FuzzTally {
  readonly #counts = new Map<string, Map<string, number>>()

  count (name: string, outcome: string): void {
    const counts = this.#counts.get(name) ?? new Map<string, number>()
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1)
    this.#counts.set(name, counts)
  }

  /** How many cases of `name` ended with `outcome` so far. */
  of (name: string, outcome: string): number {
    return this.#counts.get(name)?.get(outcome) ?? 0
  }

  /** Every name counted so far. */
  names (): string[] {
    return [...this.#counts.keys()]
  }

  /** The outcomes `name` has seen so far. */
  outcomes (name: string): string[] {
    return [...this.#counts.get(name)?.keys() ?? []]
  }

  /** One line per name: its total, then each outcome's count. */
  lines (): string[] {
    return [...this.#counts].map(([name, counts]) => {
      const total = [...counts.values()].reduce((a, b) => a + b, 0)
      return `${name}: ${total} cases (${[...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ')})`
    })
  }
}

/** Recognises the errors a decoder is documented to throw. */
export type Expected = (error: unknown) => boolean

/** An error of `type`, with one of `codes` when given. */
export function coded (type: abstract new (...args: never[]) => Error, ...codes: string[]): Expected {
  return error => error instanceof type && (codes.length === 0 || codes.includes((error as { code?: string }).code ?? ''))
}

export const either = (...expected: Expected[]): Expected => error => expected.some(e => e(error))

function describe (error: unknown): string {
  return error instanceof Error ? `${error.constructor.name} (${error.name}${'code' in error ? `, ${String(error.code)}` : ''}): ${error.message}` : String(error)
}

/** What an accepted value must satisfy besides being returned. */
export interface Accepted<T> {
  /** Throws unless `value` is what the decoder promises: it re-encodes to its input, its invariants hold. */
  accepted?: (value: Exclude<T, undefined>) => void
  /** The decoder refuses by returning undefined rather than by throwing (decodeBase64 does). */
  undefinedRefuses?: boolean
  /** One call taking longer than this has hung (a loop that never ends, or nearly). */
  hangMs?: number
}

/** Generous for a loaded machine: a decoder's one call takes well under a second here. */
export const DECODE_HANG_MS = 30_000

// A synchronous decoder that never returns can only be stopped from outside its own code: vm's
// watchdog ends any JavaScript run from a script with a timeout, the decoder's own code included.
const bounded = vm.createContext({ decode: undefined })
const callDecode = new vm.Script('decode()')

function decodeWithin<T> (name: string, decode: () => T, hangMs: number): T {
  // Inside fuzzDecoders: one watcher thread bounds every call (a thread per call costs ~1 ms).
  if (bounding()) return withinBound(name, hangMs, decode)
  const outer: unknown = bounded.decode // a decode that itself calls decodeOrRefuse
  bounded.decode = decode
  try {
    return callDecode.runInContext(bounded, { timeout: hangMs }) as T
  } finally {
    bounded.decode = outer
  }
}

const hung = (error: unknown): boolean => error instanceof HangError || (error as { code?: string } | undefined)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'

/**
 * Runs `decode` once. It passes if it throws an expected error (counted refused), or returns a
 * value that passes `check.accepted` (counted accepted). It fails if it throws anything else,
 * hangs, or returns undefined (unless that is how it refuses) or a value `check.accepted` rejects.
 */
export function decodeOrRefuse<T> (tally: FuzzTally, name: string, decode: () => T, expected: Expected, check: Accepted<T> = {}): T | undefined {
  let value: T
  try {
    value = decodeWithin(name, decode, check.hangMs ?? DECODE_HANG_MS)
  } catch (error) {
    assert.ok(!hung(error), `${name} hung: no answer in ${check.hangMs ?? DECODE_HANG_MS} ms`)
    assert.ok(expected(error), `${name} threw an unexpected ${describe(error)}`)
    tally.count(name, 'refused')
    return undefined
  }
  if (value === undefined) {
    assert.ok(check.undefinedRefuses === true, `${name} returned undefined instead of a value or its error`)
    tally.count(name, 'refused')
    return undefined
  }
  try {
    check.accepted?.(value as Exclude<T, undefined>)
  } catch (error) {
    assert.fail(`${name} accepted a value that breaks its own invariants: ${describe(error)}`)
  }
  tally.count(name, 'accepted')
  return value
}

export type Outcome = 'accepted' | 'refused'

/**
 * Runs a fast-check property whose cases go through decodeOrRefuse, then asserts what the tally
 * saw during it: every decoder it ran both accepted and refused some case (damaged valid input must
 * meet both), except those `outcomes` names with the only outcome they can see.
 */
export function fuzzDecoders<T> (tally: FuzzTally, runs: number, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void, outcomes: Record<string, Outcome[]> = {}): void {
  const before = new Map(tally.names().map(name => [name, { accepted: tally.of(name, 'accepted'), refused: tally.of(name, 'refused') }]))
  const parameters = fuzzParameters<[T]>(runs)
  // A call stopped past its bound ends the whole run, before fast-check can print its seed: this one replays it.
  const seed = parameters.seed ?? Math.floor(Math.random() * 2 ** 31)
  try {
    boundedRun(() => { fc.assert(fc.property(arbitrary, predicate), { ...parameters, seed }) })
  } catch (error) {
    if (error instanceof HangError) assert.fail(`${error.message} (FUZZ_SEED=${seed} replays it)`)
    throw error
  }
  const seen = (name: string, outcome: Outcome): number => tally.of(name, outcome) - (before.get(name)?.[outcome] ?? 0)
  const ran = tally.names().filter(name => seen(name, 'accepted') + seen(name, 'refused') > 0)
  for (const name of Object.keys(outcomes)) assert.ok(ran.includes(name), `the property never ran ${name}`)
  for (const name of ran) {
    for (const outcome of outcomes[name] ?? ['accepted', 'refused']) {
      assert.ok(seen(name, outcome) > 0, `${name} never ${outcome} a case in ${runs} runs: the property cannot tell a decoder that ${outcome === 'accepted' ? 'refuses everything' : 'accepts everything'}`)
    }
  }
}

/** Asserts that `decode` accepts valid input (a value that passes `check.accepted`), through decodeOrRefuse. */
export function acceptsValid<T> (tally: FuzzTally, name: string, decode: () => T, check: Accepted<T> = {}): T {
  const value = decodeOrRefuse(tally, name, decode, () => false, check)
  assert.ok(value !== undefined, `${name} refused valid input`)
  return value
}

const splice = (bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array =>
  Uint8Array.from([...bytes.subarray(0, at), ...insert, ...bytes.subarray(at + remove)])

/** One valid input damaged once: cut short, a bit flipped, bytes replaced, inserted, removed or repeated. */
export function damagedBytes (valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const at = fc.nat({ max: Math.max(valid.length - 1, 0) })
  return fc.oneof(
    at.map(n => valid.slice(0, n)),
    fc.tuple(at, fc.nat(7)).map(([n, bit]) => { const out = valid.slice(); if (out.length > 0) out[n]! ^= 1 << bit; return out }),
    fc.tuple(at, junkBytes).map(([n, bytes]) => splice(valid, n, bytes.length, bytes)),
    fc.tuple(at, junkBytes).map(([n, bytes]) => splice(valid, n, 0, bytes)),
    fc.tuple(at, fc.nat(64)).map(([n, count]) => splice(valid, n, count, new Uint8Array(0))),
    junkBytes.map(bytes => Uint8Array.from([...valid, ...bytes])),
    fc.constant(Uint8Array.from([...valid, ...valid]))
  )
}

/** Random bytes, or one of `valid` damaged: what a fuzzer throws at a binary decoder. */
export function fuzzBytes (valid: Uint8Array[], maxLength = 512): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength }),
    fc.constantFrom(...valid).chain(damagedBytes),
    fc.constantFrom(...valid).chain(damagedBytes).chain(damagedBytes)
  )
}

// Built once: the damage below is drawn anew for every valid input a property chains from.
// Integers too, around 2^53 above all: past it a value has two spellings, or its own is refused.
const digits = fc.oneof(fc.nat().map(String), fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String), fc.bigInt({ min: 2n ** 53n - 8n, max: 10n ** 16n - 1n }).map(String))
const junkText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40, unit: 'binary' }), fc.string({ maxLength: 40, unit: 'grapheme' }), digits)
const junkBytes = fc.uint8Array({ minLength: 1, maxLength: 16 })

/**
 * One valid line-oriented text damaged: a line removed, repeated, swapped or replaced, a field's
 * value replaced (an integer field's by another integer), a character changed, the text cut.
 */
export function damagedText (valid: string): fc.Arbitrary<string> {
  const lines = valid.split('\n')
  const line = fc.nat({ max: lines.length - 1 })
  const integerLines = lines.flatMap((l, i) => /^[a-z-]+: [0-9]+$/.test(l) ? [i] : [])
  const edit = (f: (copy: string[]) => void) => (copy: string[]): string => { f(copy); return copy.join('\n') }
  const field = (i: number, value: string): string => edit(c => { c[i] = `${c[i]!.split(': ')[0]!}: ${value}` })([...lines])
  return fc.oneof(
    integerLines.length === 0 ? fc.constant(valid) : fc.tuple(fc.constantFrom(...integerLines), digits).map(([i, value]) => field(i, value)),
    line.map(i => edit(c => { c.splice(i, 1) })([...lines])),
    line.map(i => edit(c => { c.splice(i, 0, c[i]!) })([...lines])),
    fc.tuple(line, line).map(([i, j]) => edit(c => { [c[i], c[j]] = [c[j]!, c[i]!] })([...lines])),
    fc.tuple(line, junkText).map(([i, text]) => edit(c => { c[i] = text })([...lines])),
    fc.tuple(line, junkText).map(([i, text]) => field(i, text)),
    fc.tuple(fc.nat({ max: valid.length }), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })).map(([at, ch]) => valid.slice(0, at) + ch + valid.slice(at + 1)),
    fc.nat({ max: valid.length }).map(at => valid.slice(0, at))
  )
}

/** Random text, or one of `valid` damaged. */
/**
 * `fuzzed`, with `valid` itself one case in twenty: for a property whose damaged inputs are accepted
 * only a few times in a thousand (a signature that still verifies), so that it meets an acceptance in
 * every run and still spends its runs on damage.
 */
export function withValid<T> (valid: T, fuzzed: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constant(valid), weight: 1 }, { arbitrary: fuzzed, weight: 19 })
}

export function fuzzText (valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 200, unit: 'binary' }),
    fc.constantFrom(...valid).chain(damagedText),
    fc.constantFrom(...valid).chain(damagedText).chain(damagedText)
  )
}

/** The unsigned varint of a length prefix (protobuf's encoding). */
export function varint (value: number): Uint8Array {
  const bytes: number[] = []
  for (let v = value; ; v = Math.floor(v / 128)) {
    if (v < 128) { bytes.push(v); break }
    bytes.push((v % 128) | 128)
  }
  return Uint8Array.from(bytes)
}

type Path = Array<string | number>

function pathsOf (value: unknown, depth: number, prefix: Path = []): Path[] {
  if (depth === 0 || typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key]
    return [path, ...pathsOf(child, depth - 1, path)]
  })
}

/** Random JSON, or `valid` (a stored form) whole, or with one value, at any depth up to 3, replaced or removed. */
export function fuzzJson (valid: object): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid, 3)
  const edited = fc.tuple(fc.constantFrom(...paths), fc.option(fc.jsonValue(), { nil: undefined })).map(([path, value]) => {
    const copy = structuredClone(valid) as Record<string | number, unknown>
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, copy)
    if (value === undefined) delete parent[path.at(-1)!]
    else parent[path.at(-1)!] = value
    return copy as unknown
  })
  return fc.oneof(fc.jsonValue(), edited, fc.constant(valid).map(v => structuredClone(v) as unknown))
}
