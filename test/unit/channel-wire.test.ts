// The channel message frame on /causette/msg/1.0.0
// and the sender key distribution payload: round trips, and clear refusals for what is not one.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ed25519FromSeed } from '../../crypto/ed25519.js'
import { toBase64Url } from '../../crypto/encoding.js'
import { distributionOf, newSenderChain } from '../../crypto/e2e/sender-key.js'
import { randomBytes } from '../../crypto/random.js'
import { decodeDistributionPayload, distributionItemId, encodeDistributionPayload } from '../../core/channels/distribution.js'
import { groupItemId } from '../../core/messaging/outbox.js'
import { isDistributionPayload } from '../../core/protocol/inbound-router.js'
import { CHANNEL_FRAME_MARKER, decodeChannelFrame, encodeChannelFrame, isChannelFrame, type ChannelFrame } from '../../core/protocol/channel-frame.js'
import { damagedBytes, decodeOrRefuse, fuzzDecoders, FuzzTally, type Accepted } from '../helpers/fuzz-decoding.js'
import { isCausetteError } from '../../core/errors.js'

const heads = [randomBytes(32), randomBytes(32)]
const messageId = toBase64Url(randomBytes(32))
const coded = (code: string) => (e: unknown): boolean => isCausetteError(e) && e.code === code

describe('channel frame', () => {
  it('round-trips and never looks like a ratchet message (version byte 1)', () => {
    const group = randomBytes(300)
    const frame = encodeChannelFrame({ group, heads, to: 'peer' })
    assert.ok(isChannelFrame(frame))
    assert.ok(!isChannelFrame(Uint8Array.of(1, 1, 0)))
    const decoded = decodeChannelFrame(frame)
    assert.deepEqual([decoded.group, decoded.heads, decoded.to], [group, heads, 'peer'])
  })

  it('refuses what is not a whole frame with BAD_FRAME', () => {
    const frame = encodeChannelFrame({ group: randomBytes(10), heads, to: '' })
    assert.throws(() => decodeChannelFrame(Uint8Array.of(1, 2, 3)), coded('BAD_FRAME'))
    assert.throws(() => decodeChannelFrame(frame.subarray(0, frame.length - 5)), coded('BAD_FRAME'))
    assert.throws(() => decodeChannelFrame(encodeChannelFrame({ group: randomBytes(10), heads: [], to: '' })), coded('BAD_FRAME'))
    assert.throws(() => decodeChannelFrame(encodeChannelFrame({ group: new Uint8Array(), heads, to: '' })), coded('BAD_FRAME'))
    assert.throws(() => decodeChannelFrame(encodeChannelFrame({ group: randomBytes(10), heads: [randomBytes(31)], to: '' })), coded('BAD_FRAME'))
    assert.throws(() => decodeChannelFrame(encodeChannelFrame({ group: randomBytes(10), heads: Array.from({ length: 65 }, () => randomBytes(32)), to: '' })), coded('BAD_FRAME'))
  })

  it('any bytes after the marker decode or are refused with BAD_FRAME, never anything else', () => {
    const valid = encodeChannelFrame({ group: randomBytes(10), heads, to: 'peer' }).subarray(1)
    // What it accepts names a group message and 32-byte heads, and encodes back to itself.
    const wellFormed: Accepted<ChannelFrame> = {
      accepted: message => {
        assert.ok(message.group.length > 0 && message.heads.length > 0 && message.heads.every(head => head.length === 32))
        assert.deepEqual(decodeChannelFrame(encodeChannelFrame(message)), message)
      }
    }
    const tally = new FuzzTally()
    fuzzDecoders(tally, 1000, fc.oneof(fc.uint8Array({ maxLength: 200 }), damagedBytes(valid)), bytes => {
      decodeOrRefuse(tally, 'decodeChannelFrame', () => decodeChannelFrame(Uint8Array.of(CHANNEL_FRAME_MARKER, ...bytes)), coded('BAD_FRAME'), wellFormed)
    })
  })
})

describe('sender key distribution payload', () => {
  it('is payload kind 3, decodes to the chain it hands over, and its outbox ids name the member', () => {
    const device = ed25519FromSeed(randomBytes(32)).publicKey
    const chain = newSenderChain(toBase64Url(randomBytes(32)), device, Date.now())
    const payload = encodeDistributionPayload(distributionOf(chain))
    assert.ok(isDistributionPayload(payload) && !isDistributionPayload(Uint8Array.of(1)) && !isDistributionPayload(Uint8Array.of(2)))
    assert.deepEqual(decodeDistributionPayload(payload), distributionOf(chain))
    assert.notEqual(distributionItemId(chain.chainId, 'a'), distributionItemId(chain.chainId, 'b'))
    assert.notEqual(groupItemId(messageId, 'a'), groupItemId(messageId, 'b'))
  })
})
