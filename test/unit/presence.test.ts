// Presence logic over an injected clock: the signed text, what is in force (until, idle, exceptions,
// mutes) and peers' presence (stale, future, replayed). The notification gate: presence-gate.test.ts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateDeviceKeys } from '../../crypto/device-keys.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { utf8 } from '../../crypto/encoding.js'
import { PresenceError } from '../../core/presence/errors.js'
import { LocalPresence } from '../../core/presence/local-presence.js'
import { PeerPresences } from '../../core/presence/peer-presences.js'
import { ClockSkew } from '../../core/presence/clock-skew.js'
import { parsePresence, signPresence, verifyPresence, type SignedPresence } from '../../core/presence/signed-presence.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const clock = (start = 1_800_000_000_000): { now: () => number, advance: (ms: number) => void } => {
  let t = start
  return { now: () => t, advance: ms => { t += ms } }
}
const code = (c: string) => (error: unknown) => error instanceof PresenceError && error.code === c

describe('signed presence', async () => {
  const keys = generateDeviceKeys()
  const sign = ed25519Signer(keys.device.seed)
  const presence: SignedPresence = { device: keys.device.publicKey, status: 'focus', text: 'Writing', until: 1_800_000_600_000, issued: 1_800_000_000_000, exceptions: [{ conversation: 'abc_DEF-1', status: 'available' }], photo: null }

  it('round-trips as exact text with its label', () => {
    const { bytes, signature } = signPresence(sign, presence)
    assert.match(new TextDecoder().decode(bytes), /^causette\/presence\/v1\ndevice: .+\nstatus: focus\nuntil: 1800000600000\nissued: 1800000000000\ntext: Writing\nexcept: abc_DEF-1 available\n$/)
    assert.deepEqual(verifyPresence(bytes, signature), presence)
  })

  it('names the author\'s photo by its SHA-256 and type, before the exceptions, and refuses any other photo line', () => {
    const photo = { sha256: '0f'.repeat(32), type: 'image/jpeg' as const }
    const { bytes, signature } = signPresence(sign, { ...presence, photo })
    const text = new TextDecoder().decode(bytes)
    assert.match(text, new RegExp(`\ntext: Writing\nphoto: ${photo.sha256} image/jpeg\nexcept: abc_DEF-1 available\n$`))
    assert.deepEqual(verifyPresence(bytes, signature).photo, photo)
    for (const bad of [`photo: ${photo.sha256} image/png`, `photo: ${photo.sha256} image/svg+xml`, `photo: ${'0F'.repeat(32)} image/jpeg`, `photo: ${photo.sha256.slice(2)} image/jpeg`, `photo: ${photo.sha256}  image/jpeg`]) {
      assert.throws(() => parsePresence(utf8(text.replace(/photo: .*/, bad))), code('PRESENCE_MALFORMED'), bad)
    }
    assert.throws(() => parsePresence(utf8(text.replace(/(photo: .*)\n(except: .*)/, '$2\n$1'))), code('PRESENCE_MALFORMED'), 'a photo line after the exceptions')
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
    ({ device: new Uint8Array(32), status: 'focus', text: 'busy', until: null, issued, exceptions: [], photo: null, ...overrides })

  it('accepts a presence from a clock a day off either way, and refuses a replay on its connection', () => {
    const { now, advance } = clock()
    const peers = new PeerPresences(now)
    peers.accept('behind', presence(now() - DAY), 'c1')
    peers.accept('ahead', presence(now() + DAY), 'c2')
    assert.equal(peers.view('behind', true).status, 'focus')
    assert.equal(peers.view('ahead', true).status, 'focus')
    const first = presence(now() + DAY)
    peers.accept('p', first, 'c3')
    assert.throws(() => { peers.accept('p', first, 'c3') }, code('PRESENCE_STALE'))
    assert.throws(() => { peers.accept('p', presence(first.issued - 1000), 'c3') }, code('PRESENCE_STALE'), 'a late copy does not undo a newer one')
    advance(MINUTE)
    peers.accept('p', presence(now(), { status: 'away' }), 'c3') // its clock was set right: a day back
    assert.equal(peers.view('p', true).status, 'away')
    peers.accept('p', presence(now() - DAY, { status: 'available' }), 'c4') // restarted with a wrong clock
    assert.equal(peers.view('p', true).status, 'available')
  })

  it('ends a status at its until in our clock when the sender\'s clock is off', () => {
    const { now, advance } = clock()
    const peers = new PeerPresences(now)
    peers.accept('behind', presence(now() - DAY, { until: now() - DAY + HOUR }), 'c1')
    peers.accept('ahead', presence(now() + DAY, { until: now() + DAY + HOUR }), 'c2')
    assert.equal(peers.view('behind', true).until, now() + HOUR)
    assert.equal(peers.view('ahead', true).until, now() + HOUR)
    advance(HOUR - MINUTE)
    assert.deepEqual([peers.view('behind', true).status, peers.view('ahead', true).status], ['focus', 'focus'])
    advance(MINUTE)
    assert.deepEqual([peers.view('behind', true).status, peers.view('ahead', true).status], ['available', 'available'])
  })

  it('shows the exception for our conversation, offline when not connected, available after until', () => {
    const { now, advance } = clock()
    const peers = new PeerPresences(now)
    peers.accept('p', presence(now(), { until: now() + MINUTE, exceptions: [{ conversation: 'ours', status: 'available' }] }), 'c')
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
    peers.accept('p', presence(now(), { until: now() + MINUTE, exceptions: [{ conversation: 'channel', status: 'available' }] }), 'c')
    const seen = peers.view('p', true, 'ours')
    assert.deepEqual({ status: seen.status, general: seen.general, exceptions: seen.exceptions }, { status: 'focus', general: 'focus', exceptions: [{ conversation: 'channel', status: 'available' }] })
    assert.deepEqual({ general: peers.view('p', false).general, exceptions: peers.view('p', false).exceptions }, { general: 'offline', exceptions: [] })
    advance(MINUTE)
    assert.deepEqual({ general: peers.view('p', true).general, exceptions: peers.view('p', true).exceptions }, { general: 'available', exceptions: [] }, 'ended with its until')
  })
})

describe('clock skew', () => {
  /** Our wall clock and a monotonic one; `set` moves only the wall clock, as a user fixing it does. */
  const clocks = (): { skew: ClockSkew, hear: (peer: string, peerAhead: number) => void, advance: (ms: number) => void, set: (ms: number) => void } => {
    let wall = Date.UTC(2026, 0, 1)
    let monotonic = 1000
    const skew = new ClockSkew(() => wall, () => monotonic)
    return {
      skew,
      hear: (peer, peerAhead) => { skew.record(peer, wall + peerAhead) },
      advance: ms => { wall += ms; monotonic += ms },
      set: ms => { wall += ms }
    }
  }

  it('takes the median of the colleagues\' clocks and ours: one wrong clock accuses only itself', () => {
    const mine = clocks()
    assert.deepEqual(mine.skew.view(), { offsetMs: null, peers: 0, wrong: false })
    mine.hear('wrong', DAY)
    mine.hear('right', 0)
    assert.deepEqual(mine.skew.view(), { offsetMs: 0, peers: 2, wrong: false })
    assert.equal(mine.skew.peerOffset('wrong'), DAY)
    assert.equal(mine.skew.peerOffset('right'), undefined)

    const wrongs = clocks() // the one a day ahead hears two colleagues a day behind it
    wrongs.hear('a', -DAY)
    wrongs.hear('b', -DAY + 5)
    assert.equal(wrongs.skew.view().wrong, true)
    assert.ok(Math.abs(wrongs.skew.view().offsetMs! - DAY) <= 5)
    assert.equal(wrongs.skew.peerOffset('a'), undefined, 'its colleagues agree with each other')
  })

  it('with one colleague who disagrees, tells each side rather than neither', () => {
    const mine = clocks()
    mine.hear('other', -DAY)
    assert.deepEqual(mine.skew.view(), { offsetMs: DAY, peers: 1, wrong: true })
  })

  it('agrees again as soon as our clock is set right, before any colleague speaks again', () => {
    const mine = clocks()
    mine.hear('a', -DAY)
    mine.hear('b', -DAY)
    mine.advance(HOUR)
    assert.equal(mine.skew.view().wrong, true, 'time passing changes nothing')
    mine.set(-DAY)
    assert.deepEqual(mine.skew.view(), { offsetMs: 0, peers: 2, wrong: false })
  })
})
