// The attachment descriptor (core/files/descriptor.ts): a valid one is read as it was written (its
// name made safe); anything malformed is refused with FILE_BAD_DESCRIPTOR, and a fuzz property over
// damaged descriptors must see both outcomes.
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import fc from 'fast-check'
import { toBase64Url } from '../../crypto/encoding.js'
import { MAX_CHUNK_COUNT } from '../../crypto/file-cipher.js'
import { randomBytes } from '../../crypto/random.js'
import { CausetteError } from '../../core/errors.js'
import { attachmentId, chunkSizeFor, normalMediaType, parseDescriptor, type AttachmentDescriptor } from '../../core/files/descriptor.js'
import { coded, decodeOrRefuse, fuzzDecoders, fuzzJson, FuzzTally } from '../helpers/fuzz-decoding.js'

const hex = (bytes: number): string => Buffer.from(randomBytes(bytes)).toString('hex')

function sample (): AttachmentDescriptor {
  return {
    name: 'Devis 2026.pdf',
    size: 600_000,
    type: 'application/pdf',
    sha256: hex(32),
    key: toBase64Url(randomBytes(32)),
    nonce: toBase64Url(randomBytes(16)),
    chunkSize: 262144,
    chunkCount: 3,
    chunksSha256: hex(32)
  }
}

const refused = (value: unknown): void => { assert.throws(() => parseDescriptor(value), { code: 'FILE_BAD_DESCRIPTOR' }) }

test('a valid descriptor is read as written; its id is its chunksSha256', () => {
  const descriptor = sample()
  assert.deepEqual(parseDescriptor(JSON.parse(JSON.stringify(descriptor))), descriptor)
  assert.equal(attachmentId(descriptor), descriptor.chunksSha256)
  assert.deepEqual(parseDescriptor({ ...descriptor, size: 0, chunkCount: 1 }), { ...descriptor, size: 0, chunkCount: 1 })
})

test('a sender\'s unsafe name is made safe, not refused', () => {
  assert.equal(parseDescriptor({ ...sample(), name: '../../invoice\u202Efdp.exe' }).name, '_.._invoicefdp.exe')
})

test('each malformed field is refused with FILE_BAD_DESCRIPTOR', () => {
  const valid = sample()
  refused(undefined)
  refused('text')
  refused([])
  refused({ ...valid, extra: 1 })
  const { name: _name, ...withoutName } = valid
  refused(withoutName)
  refused({ ...valid, name: '' })
  refused({ ...valid, name: 'x'.repeat(1025) })
  refused({ ...valid, size: -1 })
  refused({ ...valid, size: 1.5 })
  refused({ ...valid, size: '600000' })
  refused({ ...valid, type: 'Application/PDF' })
  refused({ ...valid, type: 'text/html; charset=utf-8' })
  refused({ ...valid, type: 'pdf' })
  refused({ ...valid, sha256: valid.sha256.toUpperCase() })
  refused({ ...valid, sha256: valid.sha256.slice(2) })
  refused({ ...valid, key: toBase64Url(randomBytes(31)) })
  refused({ ...valid, key: valid.key.replace(/.$/, '=') })
  refused({ ...valid, nonce: toBase64Url(randomBytes(24)) })
  refused({ ...valid, chunkSize: 300_000 })
  refused({ ...valid, chunkSize: 32 * 1024, chunkCount: 19 })
  refused({ ...valid, chunkSize: 8 * 1024 * 1024, chunkCount: 1 })
  refused({ ...valid, chunkCount: 2 })
  refused({ ...valid, chunkCount: 4 })
  refused({ ...valid, size: MAX_CHUNK_COUNT * 4 * 1024 * 1024 + 1, chunkSize: 4 * 1024 * 1024, chunkCount: MAX_CHUNK_COUNT + 1 })
  refused({ ...valid, chunksSha256: 'g'.repeat(64) })
})

test('a non-canonical base64url key (unused bits set) is refused', () => {
  const valid = sample()
  const last = valid.key.at(-1)!
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  // 32 bytes are 43 characters: the last carries 4 bits and 2 unused ones, which must be zero.
  const sibling = alphabet[alphabet.indexOf(last) ^ 1]!
  refused({ ...valid, key: valid.key.slice(0, 42) + sibling })
})

test('a big file takes bigger chunks, so its chunk list stays bounded', () => {
  assert.equal(chunkSizeFor(0), 262144)
  assert.equal(chunkSizeFor(256 * 1024 ** 3), 262144)
  assert.equal(chunkSizeFor(256 * 1024 ** 3 + 1), 524288)
  assert.equal(chunkSizeFor(5 * 1024 ** 4), 4 * 1024 * 1024)
})

test('a media type is stated in lower case without parameters, or as octet-stream', () => {
  assert.equal(normalMediaType('Image/JPEG'), 'image/jpeg')
  assert.equal(normalMediaType('text/plain; charset=utf-8'), 'text/plain')
  assert.equal(normalMediaType(''), 'application/octet-stream')
  assert.equal(normalMediaType(undefined), 'application/octet-stream')
  assert.equal(normalMediaType('not a type'), 'application/octet-stream')
})

const tally = new FuzzTally()
after(() => { console.log(['fuzzed descriptors:', ...tally.lines()].join('\n')) })

test('fuzz: a damaged descriptor is read to a valid one or refused with FILE_BAD_DESCRIPTOR', () => {
  // Besides random JSON in any field, integers in the numeric fields: their rules bind each other.
  const valid = sample()
  const numbers = fc.oneof(fc.integer({ min: -1, max: 3 * 262144 }), fc.constantFrom(0, 1, 2, 3, 4, 65536, 262144, 4194304, 2 ** 20, 2 ** 20 + 1, 2 ** 53, -0, 0.5))
  const integerFields = fc.tuple(fc.constantFrom('size', 'chunkSize', 'chunkCount'), numbers).map(([field, n]) => ({ ...valid, [field]: n }))
  fuzzDecoders(tally, 3000, fc.oneof(fuzzJson(valid), integerFields), value => {
    decodeOrRefuse(tally, 'parseDescriptor', () => parseDescriptor(value), coded(CausetteError, 'FILE_BAD_DESCRIPTOR'), {
      accepted: descriptor => {
        // What is accepted is read again to itself, and keeps the rules a reader relies on.
        assert.deepEqual(parseDescriptor(descriptor), descriptor)
        assert.equal(descriptor.chunkCount, Math.max(1, Math.ceil(descriptor.size / descriptor.chunkSize)))
        assert.match(descriptor.chunksSha256, /^[0-9a-f]{64}$/)
      }
    })
  })
})
