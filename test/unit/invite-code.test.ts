import assert from 'node:assert/strict'
import { test } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { equals, fromBase64Url, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { randomBytes } from '../../crypto/random.js'
import { decodeInviteCode, dialAddresses, encodeInviteCode, INVITE_CODE_PREFIX, parseInviteExpiry } from '../../core/workspace/invite-code.js'
import { WorkspaceError } from '../../core/workspace/errors.js'

const badCode = (pattern: RegExp) => (error: unknown) => error instanceof WorkspaceError && error.code === 'INVITE_BAD_CODE' && pattern.test(error.message)

function sample () {
  const inviter = randomBytes(32)
  return {
    root: randomBytes(32),
    secret: randomBytes(32),
    inviter,
    addresses: [
      multiaddr(`/ip4/192.168.1.20/tcp/7420/p2p/${ed25519PeerId(inviter)}`),
      multiaddr('/ip6/fe80::1/tcp/7420'),
      multiaddr('/dns4/desk-12.office.lan/tcp/7420')
    ]
  }
}

test('an invite code round-trips, is one compact line, and its addresses end with the inviter\'s PeerId', () => {
  const code = sample()
  const text = encodeInviteCode(code)
  assert.ok(text.startsWith(INVITE_CODE_PREFIX))
  assert.match(text, /^[a-z-]+:[A-Za-z0-9_-]+$/)
  assert.ok(text.length < 260, `${text.length} characters`)
  const decoded = decodeInviteCode(`  ${text.slice(0, 40)}\n${text.slice(40)} `) // pasted with line breaks
  assert.ok(equals(decoded.root, code.root) && equals(decoded.secret, code.secret) && equals(decoded.inviter, code.inviter))
  assert.deepEqual(decoded.addresses.map(String), ['/ip4/192.168.1.20/tcp/7420', '/ip6/fe80::1/tcp/7420', '/dns4/desk-12.office.lan/tcp/7420'])
  assert.ok(dialAddresses(decoded).every(a => a.toString().endsWith(`/p2p/${ed25519PeerId(code.inviter)}`)))
})

test('a mistyped, truncated or foreign code is refused with a clear message', () => {
  const text = encodeInviteCode(sample())
  const body = text.slice(INVITE_CODE_PREFIX.length)
  const flipped = body[10] === 'A' ? 'B' : 'A'
  assert.throws(() => decodeInviteCode(INVITE_CODE_PREFIX + body.slice(0, 10) + flipped + body.slice(11)), badCode(/mistyped/))
  assert.throws(() => decodeInviteCode(text.slice(0, -10)), badCode(/mistyped|truncated/))
  assert.throws(() => decodeInviteCode(INVITE_CODE_PREFIX + 'AAAA'), badCode(/too short/))
  assert.throws(() => decodeInviteCode('https://example.com/'), badCode(/must start/))
  assert.throws(() => decodeInviteCode(INVITE_CODE_PREFIX + '!!!'), badCode(/base64url|too short/))
  // A well-formed code of a later version.
  const bytes = fromBase64Url(body)
  const payload = bytes.slice(0, -4); payload[0] = 2
  const sum = sha256(utf8(INVITE_CODE_PREFIX), payload).subarray(0, 4)
  assert.throws(() => decodeInviteCode(INVITE_CODE_PREFIX + toBase64Url(Uint8Array.from([...payload, ...sum]))), badCode(/version 2/))
  assert.throws(() => encodeInviteCode({ ...sample(), addresses: [] }), badCode(/no address/))
})

test('loopback addresses go last, and at most eight are kept', () => {
  const code = { ...sample(), addresses: ['/ip4/127.0.0.1/tcp/1', '/ip6/::1/tcp/2', ...Array.from({ length: 9 }, (_, i) => `/ip4/10.0.0.${i + 1}/tcp/7420`)].map(a => multiaddr(a)) }
  const decoded = decodeInviteCode(encodeInviteCode(code))
  assert.equal(decoded.addresses.length, 8)
  assert.ok(decoded.addresses.every(a => a.toString().startsWith('/ip4/10.0.0.')))
})

test('invite expiries read as minutes, hours or days', () => {
  assert.equal(parseInviteExpiry('30m'), 30 * 60_000)
  assert.equal(parseInviteExpiry('24h'), 86_400_000)
  assert.equal(parseInviteExpiry(' 7d '), 7 * 86_400_000)
  for (const bad of ['', '24', 'h', '0h', '1.5h', '-1d', '24 h', '1w']) {
    assert.throws(() => parseInviteExpiry(bad), (e: unknown) => e instanceof WorkspaceError && e.code === 'WORKSPACE_BAD_REQUEST', bad)
  }
})
