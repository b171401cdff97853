// Fresh sender key chains (core/channels/fresh-chain.ts, session 30): each is journaled, and the
// journal is never trimmed. A sender the channel's log does not name stops at the chains a record
// keeps; a member waits (SENDER_KEY_TOO_SOON, a retry-later answer) while 3 of its chains carried no
// message here, and goes on once one has.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { acceptDistribution, carriedMessage, DEFAULT_SENDER_KEY_LIMITS, distributionOf, newSenderChain, type SenderKeyRecord } from '../../crypto/e2e/sender-key.js'
import { senderKeyRecordFromJson, senderKeyRecordToJson } from '../../crypto/e2e/sender-key-json.js'
import { toBase64Url } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { freshChainRefusal } from '../../core/channels/fresh-chain.js'
import { MAX_UNUSED_SENDER_CHAINS } from '../../core/protocol/limits.js'
import { RETRY_LATER } from '../../core/protocol/refusal.js'

const channel = toBase64Url(randomBytes(32))
const sender = randomBytes(32)
const other = randomBytes(32)

/** Hands over fresh chains of `sender` while the rule lets them in: the codes answered, and the record. */
function handOver (members: Uint8Array[] | undefined, count: number, start?: SenderKeyRecord): { codes: string[], record: SenderKeyRecord | undefined } {
  let record = start
  const codes: string[] = []
  for (let fresh = 0; fresh < count; fresh++) {
    const refusal = record === undefined ? undefined : freshChainRefusal(members, record)
    codes.push(refusal?.code ?? '')
    if (refusal === undefined) record = acceptDistribution(record, distributionOf(newSenderChain(channel, sender, 1_000 + fresh)), sender, 1_000 + fresh)
  }
  return { codes, record }
}

test('a device a held log does not name stops at the chains a record keeps, as without a log: before, a held log let every one in', () => {
  const kept = DEFAULT_SENDER_KEY_LIMITS.maxChainsPerSender
  for (const members of [[other], undefined]) {
    assert.deepEqual(handOver(members, 8).codes, [...Array<string>(kept).fill(''), ...Array<string>(8 - kept).fill('CHANNEL_NOT_MEMBER')])
  }
})

test('a member waits while 3 of its chains carried no message here, and goes on once one has; the wait is an answer to try again', () => {
  const { codes, record } = handOver([other, sender], 6)
  assert.deepEqual(codes, [...Array<string>(MAX_UNUSED_SENDER_CHAINS).fill(''), ...Array<string>(6 - MAX_UNUSED_SENDER_CHAINS).fill('SENDER_KEY_TOO_SOON')])
  assert.ok(RETRY_LATER.has('SENDER_KEY_TOO_SOON'), 'the sender keeps the distribution and sends it again; the receiver gives its ratchet key back')
  // A message of the newest chain is stored here: the next chain is taken, then it waits again.
  const carried = carriedMessage(record!, record!.chains[0]!.chainId)
  assert.deepEqual(handOver([sender], 2, carried).codes, ['', 'SENDER_KEY_TOO_SOON'])
})

test('a chain\'s mark of carrying nothing survives its record\'s stored form; a chain stored before counts as having carried one', () => {
  const { record } = handOver([sender], MAX_UNUSED_SENDER_CHAINS)
  const again = senderKeyRecordFromJson(JSON.parse(JSON.stringify(senderKeyRecordToJson(record!))))
  assert.equal(freshChainRefusal([sender], again)?.code, 'SENDER_KEY_TOO_SOON')
  const before = senderKeyRecordToJson(record!)
  const earlier = { ...before, chains: before.chains.map(({ unused: _unused, ...chain }) => chain) }
  assert.equal(freshChainRefusal([sender], senderKeyRecordFromJson(earlier)), undefined)
})
