// Attachments in a message body (core/messaging/body.ts, core/files/body-attachment.ts): a message
// may carry 1 to 10 files (its text may then be empty), each a descriptor with an image's size and a
// small preview; anything else is refused when sending (BAD_REQUEST) and when receiving
// (BAD_STATEMENT), and a fuzz property over damaged bodies must see both outcomes.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { toBase64Url } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { isCausetteError } from '../../core/errors.js'
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../../core/api/schema.js'
import { filesOf, MAX_ATTACHMENTS, MAX_PREVIEW_BYTES, type BodyAttachment } from '../../core/files/body-attachment.js'
import type { AttachmentDescriptor } from '../../core/files/descriptor.js'
import { encodeBody, parseBody, type MessageBody } from '../../core/messaging/body.js'
import { utf8 } from '../../crypto/encoding.js'
import { MAX_BODY_BYTES } from '../../core/protocol/limits.js'
import { fuzzParameters } from '../helpers/fuzz-decoding.js'

const hex = (bytes: number): string => Buffer.from(randomBytes(bytes)).toString('hex')
const coded = (code: string) => (e: unknown): boolean => isCausetteError(e) && e.code === code
const messageId = toBase64Url(randomBytes(32))

function descriptor (overrides: Partial<AttachmentDescriptor> = {}): AttachmentDescriptor {
  return { name: 'Devis 2026.pdf', size: 600_000, type: 'application/pdf', sha256: hex(32), key: toBase64Url(randomBytes(32)), nonce: toBase64Url(randomBytes(16)), chunkSize: 262144, chunkCount: 3, chunksSha256: hex(32), ...overrides }
}

function image (): BodyAttachment {
  return { ...descriptor({ name: 'photo.jpg', type: 'image/jpeg' }), width: 4000, height: 3000, preview: descriptor({ name: 'photo.jpg', type: 'image/webp', size: 20_000, chunkCount: 1 }) }
}

describe('a message body with attachments', () => {
  it('round-trips files with or without text, a preview and pixels; previews are fetched first', () => {
    const bodies: MessageBody[] = [
      { text: '', attachments: [descriptor()] },
      { text: 'the quote', attachments: [descriptor(), image()], quote: messageId },
      { text: 'in a thread', attachments: [image()], replyTo: messageId }
    ]
    for (const body of bodies) assert.deepEqual(parseBody(encodeBody(body)), body)
    const shot = image()
    assert.deepEqual(filesOf([descriptor({ chunksSha256: 'a'.repeat(64) }), shot]).map(f => [f.descriptor.chunksSha256, f.preview]), [[shot.preview!.chunksSha256, true], ['a'.repeat(64), false], [shot.chunksSha256, false]])
  })

  it('refuses what breaks the rules, saying why', () => {
    const refusedBodies: Array<[string, unknown]> = [
      ['no file', { text: '', attachments: [] }],
      ['eleven files', { text: '', attachments: Array.from({ length: 11 }, () => descriptor()) }],
      ['a reaction with a file', { text: '', replyTo: messageId, reaction: '👍', attachments: [descriptor()] }],
      ['an edit with a file', { text: 'new', edit: messageId, attachments: [descriptor()] }],
      ['a file twice', (() => { const d = descriptor(); return { text: '', attachments: [d, d] } })()],
      ['a bad key', { text: '', attachments: [{ ...descriptor(), key: 'short' }] }],
      ['an extra field', { text: '', attachments: [{ ...descriptor(), path: '/etc/passwd' }] }],
      ['a preview of SVG', { text: '', attachments: [{ ...image(), preview: descriptor({ type: 'image/svg+xml', size: 100, chunkCount: 1 }) }] }],
      ['a preview too big', { text: '', attachments: [{ ...image(), preview: descriptor({ type: 'image/png', size: MAX_PREVIEW_BYTES + 1, chunkCount: 1 }) }] }],
      ['a preview with a preview', { text: '', attachments: [{ ...image(), preview: image() }] }],
      ['no pixels', { text: '', attachments: [{ ...image(), width: 0 }] }],
      ['not an object', { text: '', attachments: ['file'] }]
    ]
    for (const [what, body] of refusedBodies) {
      assert.throws(() => encodeBody(body as MessageBody), coded('BAD_REQUEST'), what)
      assert.throws(() => parseBody(JSON.stringify(body)), coded('BAD_STATEMENT'), what)
    }
    assert.throws(() => parseBody(JSON.stringify({ text: '', attachments: [{ ...descriptor(), key: 'short' }] })), /attachments\.0: attachment descriptor: key/)
  })

  it('a received name with separators or controls is made safe', () => {
    const body = parseBody(JSON.stringify({ text: '', attachments: [descriptor({ name: '../../invoice\u202Efdp.exe' })] }))
    assert.equal(body.attachments?.[0]?.name, '_.._invoicefdp.exe')
  })

  it('the API, the CLI and the body agree on the files one message carries', () => {
    assert.equal(MAX_ATTACHMENTS_PER_MESSAGE, MAX_ATTACHMENTS)
  })

  it('ten images with previews fit in one message, 1:1 or channel', () => {
    const body = encodeBody({ text: 'ten photos', attachments: Array.from({ length: 10 }, image) })
    assert.ok(utf8(body).length < MAX_BODY_BYTES / 4, `${utf8(body).length} bytes`)
  })

  it('fuzz: a damaged body is either refused with BAD_STATEMENT or read back whole by the rules', () => {
    const valid = JSON.stringify({ text: 'x', attachments: [image(), descriptor()] })
    let accepted = 0
    let refused = 0
    const damage = fc.record({ at: fc.nat(valid.length - 1), length: fc.integer({ min: 1, max: 4 }), insert: fc.string({ maxLength: 4 }) })
    fc.assert(fc.property(damage, ({ at, length, insert }) => {
      const text = valid.slice(0, at) + insert + valid.slice(at + length)
      let body: MessageBody
      try {
        body = parseBody(text)
      } catch (error) {
        assert.ok(coded('BAD_STATEMENT')(error), String(error))
        refused++
        return
      }
      accepted++
      // What is accepted keeps the rules: encoding it again is accepted, and reads back the same.
      if (!text.startsWith('{')) return
      assert.deepEqual(parseBody(encodeBody(body)), body)
      for (const file of body.attachments ?? []) assert.ok(!/[/\\\u0000-\u001f]/.test(file.name), file.name)
    }), fuzzParameters(600))
    assert.ok(accepted > 0 && refused > 0, `accepted ${accepted}, refused ${refused}`)
  })
})
