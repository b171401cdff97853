// The headers a received file is served with, and the single-use download tickets.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { contentDisposition, downloadHeaders, imageTypeOf, inlineImageType } from '../../core/api/download-headers.js'
import { DownloadTickets, TICKET_LIFETIME_MS, TICKET_PATTERN } from '../../core/api/download-tickets.js'

/** The name a client recovers from `filename*` (RFC 8187: UTF-8, percent-encoded). */
function extName (header: string): string {
  const value = /filename\*=UTF-8''([^;]*)$/.exec(header)?.[1]
  assert.ok(value !== undefined, header)
  assert.match(value, /^[A-Za-z0-9!#$&+\-.^_`|~%]*$/, 'only attr-chars and escapes')
  return decodeURIComponent(value)
}

describe('download headers', () => {
  it('names the file twice: a plain ASCII fallback and the exact UTF-8 name', () => {
    assert.equal(contentDisposition('attachment', 'Devis été (v2).pdf'), 'attachment; filename="Devis ete (v2).pdf"; filename*=UTF-8\'\'Devis%20%C3%A9t%C3%A9%20%28v2%29.pdf')
    assert.equal(contentDisposition('attachment', '报告.docx'), 'attachment; filename="__.docx"; filename*=UTF-8\'\'%E6%8A%A5%E5%91%8A.docx')
    assert.equal(contentDisposition('inline', 'a"b\\c%41\r\n.png'), 'inline; filename="a_b_c_41__.png"; filename*=UTF-8\'\'a%22b%5Cc%2541%0D%0A.png')
  })

  it('never lets a name break out of its header, and always gives the name back (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.constantFrom('attachment' as const, 'inline' as const), (name, disposition) => {
      const header = contentDisposition(disposition, name)
      assert.match(header, /^[\x20-\x7e]*$/, 'printable ASCII only: no CR, LF or other byte a header cannot hold')
      const fallback = /^\w+; filename="([^"]*)"; /.exec(header)?.[1]
      assert.ok(fallback !== undefined && fallback.length > 0, header)
      assert.equal(extName(header), name)
    }), { numRuns: 2000 })
  })

  it('serves every file as an opaque download that no browser renders', () => {
    assert.deepEqual(downloadHeaders({ name: 'x.html', size: 42 }), {
      'content-type': 'application/octet-stream',
      'content-disposition': 'attachment; filename="x.html"; filename*=UTF-8\'\'x.html',
      'content-length': '42',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'no-store'
    })
  })

  it('shows inline only JPEG, PNG, WebP and GIF, never SVG or HTML', () => {
    assert.equal(inlineImageType('IMAGE/PNG; x=y'), 'image/png')
    assert.equal(inlineImageType('image/jpeg'), 'image/jpeg')
    for (const type of ['image/svg+xml', 'text/html', 'application/xhtml+xml', 'image/svg', 'text/xml', 'application/octet-stream', '', 'image/png+xml']) {
      assert.equal(inlineImageType(type), undefined, type)
    }
  })

  it('tells an image\'s type by its first bytes, of the four raster types only', () => {
    const bytes = (...values: Array<number | string>): Uint8Array => Uint8Array.from(values.flatMap(v => typeof v === 'string' ? [...v].map(ch => ch.charCodeAt(0)) : [v]))
    assert.equal(imageTypeOf(bytes(0xff, 0xd8, 0xff, 0xe0)), 'image/jpeg')
    assert.equal(imageTypeOf(bytes(0x89, 'PNG\r\n', 0x1a, '\n')), 'image/png')
    assert.equal(imageTypeOf(bytes('GIF89a')), 'image/gif')
    assert.equal(imageTypeOf(bytes('GIF87a')), 'image/gif')
    assert.equal(imageTypeOf(bytes('RIFF', 0, 0, 0, 0, 'WEBP')), 'image/webp')
    assert.equal(imageTypeOf(bytes('RIFF', 0, 0, 0, 0, 'WAVE')), undefined)
    assert.equal(imageTypeOf(bytes('<svg>')), undefined)
    assert.equal(imageTypeOf(bytes(0xff, 0xd8)), undefined)
  })
})

describe('download tickets', () => {
  it('opens its attachment once, within a minute', () => {
    let now = 1_000_000
    const tickets = new DownloadTickets(() => now)
    const { ticket, expires } = tickets.issue('file-a')
    assert.match(ticket, TICKET_PATTERN)
    assert.equal(expires, now + TICKET_LIFETIME_MS)
    assert.equal(tickets.redeem(ticket), 'file-a')
    assert.equal(tickets.redeem(ticket), undefined, 'spent on first use')
    const late = tickets.issue('file-b')
    now += TICKET_LIFETIME_MS
    assert.equal(tickets.redeem(late.ticket), undefined, 'expired')
    assert.equal(tickets.redeem('A'.repeat(43)), undefined, 'unknown')
  })

  it('gives 256 random bits each time and keeps a bounded number open', () => {
    const tickets = new DownloadTickets()
    const issued = Array.from({ length: 300 }, (_, i) => tickets.issue(`file-${i}`).ticket)
    assert.equal(new Set(issued).size, 300)
    assert.equal(Buffer.from(issued[0]!, 'base64url').byteLength, 32)
    assert.equal(tickets.redeem(issued[0]!), undefined, 'the oldest went first')
    assert.equal(tickets.redeem(issued[299]!), 'file-299')
  })
})
