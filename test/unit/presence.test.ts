// Presence logic over an injected clock: the signed text, what is in force (until, idle, exceptions,
// mutes) and peers' presence (stale, future, replayed). The notification gate: presence-gate.test.ts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateDeviceKeys } from '../../crypto/device-keys.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { utf8 } from '../../crypto/encoding.js'
import { loadSodium } from '../../crypto/sodium.js'
import { PresenceError } from '../../core/presence/errors.js'
import { LocalPresence } from '../../core/presence/local-presence.js'
import { PeerPresences } from '../../core/presence/peer-presences.js'
import { parsePresence, signPresence, verifyPresence, type SignedPresence } from '../../core/presence/signed-presence.js'

const MINUTE = 60_000
const clock = (start = 1_800_000_000_000): { now: () => number, advance: (ms: number) => void } => {
  let t = start
  return { now: () => t, advance: ms => { t += ms } }
}
const code = (c: string) => (error: unknown) => error instanceof PresenceError && error.code === c

describe('signed presence', async () => {
  const keys = generateDeviceKeys(await loadSodium())
  const sign = ed25519Signer(keys.device.seed)
  const presence: SignedPresence = { device: keys.device.publicKey, status: 'focus', text: 'Writing', until: 1_800_000_600_000, issued: 1_800_000_000_000, exceptions: [{ conversation: 'abc_DEF-1', status: 'available' }] }

  it('round-trips as exact text with its label', () => {
    const { bytes, signature } = signPresence(sign, presence)
    assert.match(new TextDecoder().decode(bytes), /^causette\/presence\/v1\ndevice: .+\nstatus: focus\nuntil: 1800000600000\nissued: 1800000000000\ntext: Writing\nexcept: abc_DEF-1 available\n$/)
    assert.deepEqual(verifyPresence(bytes, signature), presence)
  })

  it('refuses a changed byte, a bad status, control characters and too many exceptions', () => {
    const { bytes, signature } = signPresence(sign, presence)
    const changed = bytes.slice()
    changed[changed.length - 3] ^= 1
    assert.throws(() => verifyPresence(changed, signature), (e: unknown) => e instanceof PresenceError)
    const text = new TextDecoder().decode(bytes)
    assert.throws(() => parsePresence(utf8(text.replace('status: focus', 'status: asleep'))), code('PRESENCE_MALFORMED'))
    assert.throws(() => parsePresence(utf8(text.replace('text: Writing', 'text: a\u0007b'))), code('PRESENCE_MALFORMED'))
    const many = Array.from({ length: 33 }, (_, i) => `except: c${i} focus`).join('\n')
    assert.throws(() => parsePresence(utf8(text.replace('except: abc_DEF-1 available', many))), code('PRESENCE_MALFORMED'))
    assert.throws(() => parsePresence(utf8(text.replace('causette/presence/v1', 'causette/statement/v1'))), code('PRESENCE_MALFORMED'))
  })
})

describe('local presence', () => {
  it('a choice ends at its until; idle available turns away; activity brings it back', () => {
    const { now, advance } = clock()
    const local = new LocalPresence({ now, idleMs: 10 * MINUTE })
    local.set({ status: 'focus', text: '', until: now() + 30 * MINUTE, exceptions: [] })
    assert.equal(local.effective().status, 'focus')
    assert.equal(local.nextChange(), now() + 30 * MINUTE)
    advance(30 * MINUTE)
    assert.equal(local.effective().status, 'away', 'idle for 30 minutes when focus ended')
    assert.equal(local.effective().auto, true)
    local.activity()
    assert.deepEqual(local.effective(), { status: 'available', text: '', until: null, exceptions: [], auto: false })
    assert.equal(local.expire(), true)
    assert.equal(local.choice.status, 'available')
  })

  it('holds a conversation in focus unless an exception says otherwise; a mute holds one conversation', () => {
    const { now, advance } = clock()
    const local = new LocalPresence({ now, idleMs: 10 * MINUTE })
    local.set({ status: 'focus', text: '', until: null, exceptions: [{ conversation: 'x', status: 'available' }] })
    assert.equal(local.holds('x'), false)
    assert.equal(local.holds('y'), true)
    local.set({ status: 'available', text: '', until: null, exceptions: [] })
    local.mute('x', now() + MINUTE)
    assert.equal(local.holds('x'), true)
    assert.equal(local.holds('y'), false)
    advance(MINUTE)
    local.activity()
    assert.equal(local.holds('x'), false)
    assert.deepEqual(local.mutes(), [])
  })
})

describe('peer presences', () => {
  const presence = (issued: number, overrides: Partial<SignedPresence> = {}): SignedPresence =>
    ({ device: new Uint8Array(32), status: 'focus', text: 'busy', until: null, issued, exceptions: [], ...overrides })

  it('refuses stale, future-dated and replayed presences', () => {
    const { now } = clock()
    const peers = new PeerPresences(now)
    assert.throws(() => { peers.accept('p', presence(now() - 6 * MINUTE)) }, code('PRESENCE_STALE'))
    assert.throws(() => { peers.accept('p', presence(now() + 6 * MINUTE)) }, code('PRESENCE_FUTURE'))
    peers.accept('p', presence(now()))
    assert.throws(() => { peers.accept('p', presence(now())) }, code('PRESENCE_STALE'))
  })

  it('shows the exception for our conversation, offline when not connected, available after until', () => {
    const { now, advance } = clock()
    const peers = new PeerPresences(now)
    peers.accept('p', presence(now(), { until: now() + MINUTE, exceptions: [{ conversation: 'ours', status: 'available' }] }))
    assert.equal(peers.view('p', true, 'ours').status, 'available')
    assert.equal(peers.view('p', true, 'other').status, 'focus')
    assert.equal(peers.view('p', false, 'other').status, 'offline')
    assert.equal(peers.view('unknown', true).status, 'available')
    advance(MINUTE)
    assert.equal(peers.view('p', true, 'other').status, 'available')
  })

  it('carries the general status and the exceptions shared with us, for the other conversations', () => {
    const { now, advance } = clock()
    const peers = new PeerPresences(now)
    peers.accept('p', presence(now(), { until: now() + MINUTE, exceptions: [{ conversation: 'channel', status: 'available' }] }))
    const seen = peers.view('p', true, 'ours')
    assert.deepEqual({ status: seen.status, general: seen.general, exceptions: seen.exceptions }, { status: 'focus', general: 'focus', exceptions: [{ conversation: 'channel', status: 'available' }] })
    assert.deepEqual({ general: peers.view('p', false).general, exceptions: peers.view('p', false).exceptions }, { general: 'offline', exceptions: [] })
    advance(MINUTE)
    assert.deepEqual({ general: peers.view('p', true).general, exceptions: peers.view('p', true).exceptions }, { general: 'available', exceptions: [] }, 'ended with its until')
  })
})
