// The fuzz helper itself (test/helpers/fuzz-decoding.ts): a fuzz property must be able to fail. Each
// way a decoder can be wrong is run once against a deliberately broken decoder of a toy format, and
// the property must fail, naming the fault; the correct decoder passes the same property.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { acceptsValid, coded, decodeOrRefuse, fuzzDecoders, fuzzText, FuzzTally, type Accepted } from '../helpers/fuzz-decoding.js'

class ToyError extends Error {
  constructor (readonly code: string, message: string) { super(message) }
}

/** The toy format: `count: N`, N a whole number without leading zeros, below a billion. */
const encodeToy = (count: number): string => `count: ${count}`
function decodeToy (text: string): number {
  const match = /^count: (0|[1-9][0-9]{0,8})$/.exec(text)
  if (match === null) throw new ToyError('BAD_TOY', 'not a count')
  return Number(match[1])
}

const badToy = coded(ToyError, 'BAD_TOY')
const roundTrip = (text: string): Accepted<number | undefined> => ({ accepted: count => { assert.equal(encodeToy(count), text) } })
const valid = [encodeToy(0), encodeToy(7), encodeToy(123456)]

/** The property the real fuzz tests run: valid input damaged, through decodeOrRefuse with a round trip. */
function fuzzToy (decode: (text: string) => number | undefined, check: (text: string) => Accepted<number | undefined> = roundTrip): void {
  const tally = new FuzzTally()
  fuzzDecoders(tally, 300, fuzzText(valid), text => { decodeOrRefuse(tally, 'toy', () => decode(text), badToy, check(text)) })
}

describe('a fuzz property over a decoder (decodeOrRefuse, fuzzDecoders)', () => {
  it('passes for a correct decoder, which both accepts and refuses damaged input', () => {
    fuzzToy(decodeToy)
  })

  it('fails on an error the decoder does not document', () => {
    assert.throws(() => { fuzzToy(text => { if (text.length % 2 === 0) throw new TypeError('oops'); return decodeToy(text) }) }, /toy threw an unexpected TypeError/)
  })

  it('fails on a decoder that hangs', () => {
    const tally = new FuzzTally()
    const hangs = (text: string): number => { if (text === valid[1]) for (;;); return decodeToy(text) }
    assert.throws(() => { fuzzDecoders(tally, 20, fc.constantFrom(...valid), text => { decodeOrRefuse(tally, 'toy', () => hangs(text), badToy, { ...roundTrip(text), hangMs: 200 }) }) }, /toy hung/)
  })

  it('fails on an accepted value that does not re-encode to its input', () => {
    // Whatever follows the number is ignored: `count: 7\ncount: 7` reads as 7, whose encoding is `count: 7`.
    assert.throws(() => { fuzzToy(text => decodeToy(/^count: [0-9]*/.exec(text)?.[0] ?? text)) }, /toy accepted a value that breaks its own invariants/)
  })

  it('fails on an accepted value that breaks an invariant of the decoder', () => {
    assert.throws(() => { fuzzToy(text => decodeToy(text) - 1, text => ({ accepted: count => { assert.ok(count >= 0, `a negative count from ${text}`) } })) }, /toy accepted a value that breaks its own invariants/)
  })

  it('fails on undefined returned instead of a value or an error', () => {
    assert.throws(() => { fuzzToy(text => { try { return decodeToy(text) } catch { return undefined } }) }, /toy returned undefined/)
  })

  it('fails when damaged input never meets one of the outcomes: a decoder that accepts everything, or refuses everything', () => {
    assert.throws(() => { fuzzToy(() => 1, () => ({})) }, /toy never refused a case/)
    assert.throws(() => { fuzzToy(() => { throw new ToyError('BAD_TOY', 'no') }) }, /toy never accepted a case/)
  })

  it('fails when a decoder it names with its only outcome never ran', () => {
    const tally = new FuzzTally()
    assert.throws(() => { fuzzDecoders(tally, 10, fc.constant(valid[0]!), () => {}, { toy: ['refused'] }) }, /never ran toy/)
  })

  it('acceptsValid fails when valid input is refused', () => {
    assert.throws(() => acceptsValid(new FuzzTally(), 'toy', () => decodeToy('count: 01')), /toy threw an unexpected ToyError/)
    assert.equal(acceptsValid(new FuzzTally(), 'toy', () => decodeToy('count: 10'), roundTrip('count: 10')), 10)
  })
})
