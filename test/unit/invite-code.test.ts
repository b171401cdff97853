import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { multiaddr } from '@multiformats/multiaddr'
import { equals } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { decodeInviteCode, encodeInviteCode, INVITE_CODE_LENGTH, inviteAddress, inviteLink, inviteSeed, parseInviteExpiry } from '../../core/workspace/invite-code.js'
import { inviteProof, proofMatches } from '../../core/workspace/invite-proof.js'
import { WorkspaceError } from '../../core/errors.js'
import { checkInvitation } from '../../core/workspace/join.js'
import type { Invitation } from '../../core/protocol/workspace-invite.js'
import { ed25519FromSeed } from '../../crypto/ed25519.js'
import { signNext } from '../../crypto/membership-log.js'
import { DAY, device, newLog, T0, type TestDevice } from './membership-fixture.js'

const badCode = (pattern: RegExp) => (error: unknown) => error instanceof WorkspaceError && error.code === 'INVITE_BAD_CODE' && pattern.test(error.message)
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const address = multiaddr('/ip4/192.168.1.20/tcp/7420')

test('an invite code round-trips: 40 characters in groups of 5, from a link too, whatever the case and dashes', () => {
  const token = randomBytes(16)
  const code = encodeInviteCode({ token, address })
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){7}$/)
  assert.equal(code.replaceAll('-', '').length, INVITE_CODE_LENGTH)
  for (const text of [code, code.toLowerCase(), code.replaceAll('-', ''), code.replaceAll('-', ' '), inviteLink(code), `  ${inviteLink(code)}\n`]) {
    const decoded = decodeInviteCode(text)
    assert.ok(equals(decoded.token, token))
    assert.equal(decoded.address.toString(), '/ip4/192.168.1.20/tcp/7420')
    assert.ok(equals(decoded.secret, inviteSeed(token)))
  }
  assert.equal(inviteLink(code), `http://127.0.0.1:7421/#/join/${code}`)
  // The letters people confuse with digits are read as those digits.
  const withConfusables = code.replaceAll('1', 'l').replaceAll('0', 'O')
  assert.ok(equals(decodeInviteCode(withConfusables).token, token))
})

test('the code carries the first IPv4 address that is not loopback (loopback only when there is no other), never IPv6 or /p2p/', () => {
  const chosen = inviteAddress([multiaddr('/ip4/127.0.0.1/tcp/7420'), multiaddr('/ip6/fe80::1/tcp/7420'), multiaddr('/ip4/10.1.2.3/tcp/7420/p2p/12D3KooWK99Vo4kKwP5H3ZjEHqAzVbqUKfcRAYvGq4S2Rj8GC9Ut')])
  assert.equal(chosen.toString(), '/ip4/10.1.2.3/tcp/7420')
  assert.equal(inviteAddress([multiaddr('/ip4/127.0.0.1/tcp/9')]).toString(), '/ip4/127.0.0.1/tcp/9')
  assert.throws(() => inviteAddress([multiaddr('/ip6/::1/tcp/7420')]), badCode(/no IPv4/))
})

test('a mistyped, cut, foreign or old long code is refused with a clear message', () => {
  const code = encodeInviteCode({ token: randomBytes(16), address })
  assert.throws(() => decodeInviteCode(code.slice(0, -1)), badCode(/39 characters instead of 40: is it complete/))
  assert.throws(() => decodeInviteCode(code + 'A'), badCode(/41 characters/))
  assert.throws(() => decodeInviteCode(code.slice(0, -1) + 'U'), badCode(/"U" is not one of its characters/))
  assert.throws(() => decodeInviteCode('causette-invite:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB'), badCode(/old long code/))
  assert.throws(() => decodeInviteCode(''), badCode(/0 characters/))
})

test('fuzz: every single mistyped character and every swap of two different neighbours is refused as mistyped', () => {
  const codes = fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.ipV4(), fc.integer({ min: 1, max: 65535 }))
    .map(([token, ip, port]) => encodeInviteCode({ token, address: multiaddr(`/ip4/${ip}/tcp/${port}`) }).replaceAll('-', ''))
  fc.assert(fc.property(codes, fc.nat({ max: INVITE_CODE_LENGTH - 1 }), fc.integer({ min: 1, max: ALPHABET.length - 1 }), (code, at, shift) => {
    const typo = ALPHABET[(ALPHABET.indexOf(code[at]!) + shift) % ALPHABET.length]!
    assert.throws(() => decodeInviteCode(code.slice(0, at) + typo + code.slice(at + 1)), badCode(/mistyped/))
  }), { numRuns: 3000 })
  fc.assert(fc.property(codes, fc.nat({ max: INVITE_CODE_LENGTH - 2 }), (code, at) => {
    fc.pre(code[at] !== code[at + 1])
    const swapped = code.slice(0, at) + code[at + 1]! + code[at]! + code.slice(at + 2)
    assert.throws(() => decodeInviteCode(swapped), badCode(/mistyped/))
  }), { numRuns: 3000 })
})

test('fuzz: any token, IPv4 address and port round-trips', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.ipV4(), fc.integer({ min: 1, max: 65535 }), (token, ip, port) => {
    const decoded = decodeInviteCode(encodeInviteCode({ token, address: multiaddr(`/ip4/${ip}/tcp/${port}`) }))
    assert.ok(equals(decoded.token, token))
    assert.equal(decoded.address.toString(), multiaddr(`/ip4/${ip}/tcp/${port}`).toString())
  }), { numRuns: 2000 })
})

test('the inviter\'s proof needs the token and names the root and the inviter', () => {
  const token = randomBytes(16); const root = randomBytes(32); const inviter = randomBytes(32)
  const proof = inviteProof(token, root, inviter)
  assert.ok(proofMatches(token, root, inviter, proof))
  assert.ok(!proofMatches(randomBytes(16), root, inviter, proof), 'another token')
  assert.ok(!proofMatches(token, randomBytes(32), inviter, proof), 'another workspace')
  assert.ok(!proofMatches(token, root, randomBytes(32), proof), 'another inviter')
  assert.ok(!proofMatches(token, root, inviter, proof.subarray(0, 16)), 'a cut proof')
})

test('invite expiries read as minutes, hours or days', () => {
  assert.equal(parseInviteExpiry('30m'), 30 * 60_000)
  assert.equal(parseInviteExpiry('24h'), 86_400_000)
  assert.equal(parseInviteExpiry(' 7d '), 7 * 86_400_000)
  for (const bad of ['', '24', 'h', '0h', '1.5h', '-1d', '24 h', '1w']) {
    assert.throws(() => parseInviteExpiry(bad), (e: unknown) => e instanceof WorkspaceError && e.code === 'WORKSPACE_BAD_REQUEST', bad)
  }
})

test('a member who knows the invite key from the log cannot pass a workspace of its own off as the invitation: the proof needs the token', () => {
  const token = randomBytes(16)
  const code = decodeInviteCode(encodeInviteCode({ token, address }))
  const inviteKey = ed25519FromSeed(code.secret).publicKey
  const admin = device('ada'); const mallory = device('mallory')
  const showing = (by: TestDevice, proof: Uint8Array): Invitation => {
    const log = newLog(by)
    log.apply(signNext(log, by, { kind: 'invite', inviteKey, role: 'member', expires: T0 + DAY }, T0 + 10))
    return { entries: log.entries(), proof }
  }
  const real = showing(admin, inviteProof(token, admin.publicKey, admin.publicKey))
  assert.equal(checkInvitation(real, code, admin.publicKey).inviter.name, 'ada')
  // Mallory's own workspace, with the same invite key in it, and any proof it can make without the token.
  const refused = (error: unknown) => error instanceof WorkspaceError && error.code === 'JOIN_REFUSED'
  for (const proof of [inviteProof(randomBytes(16), mallory.publicKey, mallory.publicKey), inviteProof(token, admin.publicKey, admin.publicKey), new Uint8Array(32)]) {
    assert.throws(() => checkInvitation(showing(mallory, proof), code, mallory.publicKey), (error: unknown) => refused(error) && /could not prove/.test((error as Error).message))
  }
  // The real log shown by another peer than the one that signed the invite.
  assert.throws(() => checkInvitation(real, code, mallory.publicKey), (error: unknown) => refused(error) && /another device/.test((error as Error).message))
  // A log that ends with another invite than the code's.
  const other = newLog(admin)
  other.apply(signNext(other, admin, { kind: 'invite', inviteKey: randomBytes(32), role: 'member', expires: T0 + DAY }, T0 + 10))
  assert.throws(() => checkInvitation({ entries: other.entries(), proof: real.proof }, code, admin.publicKey), (error: unknown) => refused(error) && /another invite/.test((error as Error).message))
})
