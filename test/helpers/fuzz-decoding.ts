// Shared pieces of the fuzz tests: fast-check parameters from the environment, the damage done to
// valid input (truncation, bit flips, spliced bytes, shuffled lines), and a tally of what each
// decoder accepted and refused. The property is always the same: a decoder returns a value or
// throws the error it is documented to throw, never another exception.
import assert from 'node:assert/strict'
import fc from 'fast-check'

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

/**
 * Runs `decode` once: a value is fine, so is an expected error; anything else fails the property.
 * An undefined result counts as a refusal (decoders such as decodeBase64 refuse that way).
 */
export function decodeOrRefuse<T> (tally: FuzzTally, name: string, decode: () => T, expected: Expected): T | undefined {
  try {
    const value = decode()
    tally.count(name, value === undefined ? 'refused' : 'accepted')
    return value
  } catch (error) {
    assert.ok(expected(error), `${name} threw an unexpected ${describe(error)}`)
    tally.count(name, 'refused')
    return undefined
  }
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

/** Random JSON, or `valid` (a stored form) with one value, at any depth up to 3, replaced or removed. */
export function fuzzJson (valid: object): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid, 3)
  const edited = fc.tuple(fc.constantFrom(...paths), fc.option(fc.jsonValue(), { nil: undefined })).map(([path, value]) => {
    const copy = structuredClone(valid) as Record<string | number, unknown>
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, copy)
    if (value === undefined) delete parent[path.at(-1)!]
    else parent[path.at(-1)!] = value
    return copy as unknown
  })
  return fc.oneof(fc.jsonValue(), edited)
}
