// The user's photo (issue 14 item 2): stored in the profile only when it is what it claims to be, a
// JPEG or WebP of at most PHOTO_MAX_BYTES; a refusal leaves the photo held before untouched.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { toBase64 } from '../../crypto/encoding.js'
import { startApiServer } from '../../core/api/server.js'
import { PHOTO_MAX_BYTES, readPhoto } from '../../core/profile/photo.js'
import { tempHome, testNode } from '../helpers/nodes.js'

const jpeg = (size: number): Uint8Array => Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(size - 4)])
const webp = (size: number): Uint8Array => Uint8Array.from([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP'), ...randomBytes(size - 12)])

test('a photo is stored, shown in the status, kept across a restart and removed', async (t) => {
  const home = await tempHome(t)
  const node = await testNode(t, { home })
  assert.equal((await node.status()).photo, false)
  assert.equal(await node.photo(), null)
  const photo = { type: 'image/jpeg' as const, data: toBase64(jpeg(20_000)) }
  await node.setPhoto(photo)
  assert.equal((await node.status()).photo, true)
  assert.deepEqual(await node.photo(), photo)
  await node.stop()
  const again = await testNode(t, { home })
  assert.equal((await again.status()).photo, true)
  await again.setPhoto({ type: 'image/webp', data: toBase64(webp(PHOTO_MAX_BYTES)) })
  assert.equal((await again.photo())?.type, 'image/webp')
  await again.setPhoto(null)
  assert.equal((await again.status()).photo, false)
  assert.equal(await readPhoto(home), undefined)
})

test('a photo too large, not an image, of another type than declared, or not base64 is refused and changes nothing', async (t) => {
  const home = await tempHome(t)
  const node = await testNode(t, { home })
  const kept = { type: 'image/jpeg' as const, data: toBase64(jpeg(1000)) }
  await node.setPhoto(kept)
  const refusals: Array<[string, { type: 'image/jpeg' | 'image/webp', data: string }, string]> = [
    ['too large', { type: 'image/jpeg', data: toBase64(jpeg(PHOTO_MAX_BYTES + 1)) }, 'PAYLOAD_TOO_LARGE'],
    ['empty', { type: 'image/jpeg', data: '' }, 'BAD_REQUEST'],
    ['a PNG', { type: 'image/jpeg', data: toBase64(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, ...randomBytes(100)])) }, 'BAD_REQUEST'],
    ['an SVG', { type: 'image/webp', data: toBase64(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')) }, 'BAD_REQUEST'],
    ['a WebP declared JPEG', { type: 'image/jpeg', data: toBase64(webp(500)) }, 'BAD_REQUEST'],
    ['not base64', { type: 'image/jpeg', data: '/9j/not base64!' }, 'BAD_REQUEST']
  ]
  for (const [what, photo, code] of refusals) {
    await assert.rejects(node.setPhoto(photo), { code }, what)
  }
  // Random bytes: refused unless they happen to start like a JPEG or WebP (then they are stored as such).
  for (let i = 0; i < 50; i++) {
    const bytes = randomBytes(1 + (i * 37) % 2000)
    const looksLikeImage = (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    if (looksLikeImage) continue
    await assert.rejects(node.setPhoto({ type: 'image/jpeg', data: toBase64(bytes) }), { code: 'BAD_REQUEST' })
  }
  assert.deepEqual(await node.photo(), kept)
})

test('the API stores a photo with PUT, answers it with GET, refuses a bad one with 400 or 413 and removes it with DELETE', async (t) => {
  const home = await tempHome(t)
  const node = await testNode(t, { home })
  const api = await startApiServer({ node, home, port: 0, log: () => {} })
  t.after(async () => { await api.close() })
  const call = async (method: string, body?: unknown): Promise<Response> => await fetch(`${api.url}/api/v1/profile/photo`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {})
  })
  const photo = { type: 'image/jpeg', data: toBase64(jpeg(2000)) }
  assert.deepEqual(await (await call('GET')).json(), { photo: null })
  assert.equal((await call('PUT', photo)).status, 204)
  assert.deepEqual(await (await call('GET')).json(), { photo })
  assert.equal((await call('PUT', { type: 'image/jpeg', data: toBase64(jpeg(PHOTO_MAX_BYTES + 1)) })).status, 413)
  assert.equal((await call('PUT', { type: 'image/png', data: photo.data })).status, 400)
  assert.equal((await call('PUT', { ...photo, extra: 1 })).status, 400)
  assert.deepEqual(await (await call('GET')).json(), { photo }, 'the refusals changed nothing')
  assert.equal((await call('DELETE', {})).status, 204)
  assert.equal((await node.status()).photo, false)
})
