// Sender Keys (crypto/e2e/sender-key.ts): distribution, group messages in and out of order, replay,
// forgery, rotation and the stored forms; fast-check properties for delivery order and removal.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { E2eError, type E2eErrorCode } from '../../crypto/e2e/errors.js'
import {
  acceptDistribution, decodeDistribution, decodeGroupMessage, decryptGroupMessage, DEFAULT_SENDER_KEY_LIMITS, distributionOf, encodeDistribution, restoreGroupKey,
  encryptGroupMessage, MAX_PREVIOUS_CHAINS, newSenderChain, pruneSenderKeys, rotationDue, SENDER_KEY_ROTATION_MS,
  type OwnSenderChain, type SenderKeyDistribution, type SenderKeyRecord
} from '../../crypto/e2e/sender-key.js'
import { ownSenderChainFromJson, ownSenderChainToJson, senderKeyRecordFromJson, senderKeyRecordToJson } from '../../crypto/e2e/sender-key-json.js'
import { damagedBytes, decodeOrRefuse, fuzzDecoders, FuzzTally } from '../helpers/fuzz-decoding.js'
import { ChannelLog, createChannel, lostMembers } from '../../crypto/channel-log.js'
import { ed25519FromSeed, ed25519Signer, ed25519Verify } from '../../crypto/ed25519.js'
import { equals, fromUtf8, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { randomBytes } from '../../crypto/random.js'

const T0 = 1_700_000_000_000
const channel = toBase64Url(randomBytes(32))

const refused = (code: E2eErrorCode) => (e: unknown): boolean => e instanceof E2eError && e.code === code

/** A sender's chain and one receiver's record of it, built through the wire form of the distribution. */
class Sender {
  chain: OwnSenderChain
  constructor (readonly device = randomBytes(32), channelId = channel) {
    this.chain = newSenderChain(channelId, device, T0)
  }

  send (text: string): Uint8Array {
    const { message, nextChain } = encryptGroupMessage(this.chain, utf8(text))
    this.chain = nextChain
    return message
  }

  rotate (now = T0): void { this.chain = newSenderChain(this.chain.channelId, this.device, now, this.chain) }

  distribution (): Uint8Array { return encodeDistribution(distributionOf(this.chain)) }
}

class Receiver {
  record: SenderKeyRecord | undefined
  constructor (readonly from: Sender) {}

  accept (bytes = this.from.distribution(), now = T0): void {
    this.record = acceptDistribution(this.record, decodeDistribution(bytes), this.from.device, now)
  }

  read (message: Uint8Array, limits = DEFAULT_SENDER_KEY_LIMITS): string {
    const { plaintext, nextRecord } = decryptGroupMessage(this.record!, message, limits)
    this.record = nextRecord
    return fromUtf8(plaintext)
  }
}

function pair (): { alice: Sender, bob: Receiver } {
  const alice = new Sender()
  const bob = new Receiver(alice)
  bob.accept()
  return { alice, bob }
}

describe('sender keys', () => {
  it('a distributed chain decrypts the sender\'s messages, each key once', () => {
    const { alice, bob } = pair()
    const carol = new Receiver(alice)
    carol.accept()
    const messages = ['one', 'two', 'three'].map(t => alice.send(t))
    assert.deepEqual(messages.map(m => bob.read(m)), ['one', 'two', 'three'])
    assert.deepEqual(messages.map(m => carol.read(m)), ['one', 'two', 'three'])
    assert.throws(() => bob.read(messages[1]!), refused('E2E_REPLAY'))
    const decoded = decodeGroupMessage(messages[2]!)
    assert.equal(decoded.channelId, channel)
    assert.deepEqual([decoded.sender, decoded.iteration], [alice.device, 2])
  })

  it('a key given back after a failed write opens the same bytes again, once', () => {
    const { alice, bob } = pair()
    const first = alice.send('one')
    const { nextRecord, spent } = decryptGroupMessage(bob.record!, first)
    bob.record = nextRecord
    assert.equal(bob.read(alice.send('two')), 'two')
    assert.throws(() => bob.read(first), refused('E2E_REPLAY'))
    bob.record = restoreGroupKey(bob.record, spent)
    assert.deepEqual(restoreGroupKey(bob.record, spent), bob.record, 'given back twice: held once')
    assert.equal(bob.read(first), 'one')
    assert.throws(() => bob.read(first), refused('E2E_REPLAY'))
  })

  it('reads out of order within maxSkip, holds the keys passed over, and refuses a larger jump', () => {
    const { alice, bob } = pair()
    const messages = Array.from({ length: 6 }, (_, i) => alice.send(`m${i}`))
    assert.equal(bob.read(messages[4]!), 'm4')
    assert.equal(bob.record!.chains[0]!.skipped.length, 4)
    assert.equal(bob.read(messages[1]!), 'm1')
    assert.equal(bob.record!.chains[0]!.skipped.length, 3)
    const limits = { ...DEFAULT_SENDER_KEY_LIMITS, maxSkip: 3 }
    const far = Array.from({ length: 4 }, (_, i) => alice.send(`f${i}`))
    const before = bob.record
    assert.throws(() => bob.read(far[3]!, limits), refused('E2E_TOO_MANY_SKIPPED'))
    assert.equal(bob.record, before, 'a refused message changes nothing')
    assert.equal(bob.read(far[2]!, limits), 'f2')
  })

  it('forgets the oldest skipped keys beyond maxSkippedPerChain', () => {
    const { alice, bob } = pair()
    const messages = Array.from({ length: 8 }, (_, i) => alice.send(`m${i}`))
    const limits = { ...DEFAULT_SENDER_KEY_LIMITS, maxSkippedPerChain: 3 }
    assert.equal(bob.read(messages[7]!, limits), 'm7')
    assert.deepEqual(bob.record!.chains[0]!.skipped.map(k => k.iteration), [4, 5, 6])
    assert.throws(() => bob.read(messages[0]!, limits), refused('E2E_REPLAY'))
    assert.equal(bob.read(messages[5]!, limits), 'm5')
  })

  it('a member given the chain later reads only what is sent from then on', () => {
    const { alice, bob } = pair()
    const early = alice.send('before')
    const dave = new Receiver(alice)
    dave.accept()
    const late = alice.send('after')
    assert.throws(() => dave.read(early), refused('E2E_REPLAY'))
    assert.equal(dave.read(late), 'after')
    assert.equal(bob.read(early), 'before')
  })

  it('refuses forged, modified and unknown messages with stable codes', () => {
    const { alice, bob } = pair()
    const mallory = new Sender()
    const message = alice.send('hello')
    // Mallory, a member, names Alice as the sender and Alice's chain, but signs with her own key.
    const m = decodeGroupMessage(message)
    const forged = encryptGroupMessage({ ...mallory.chain, sender: alice.device, chainId: m.chainId }, utf8('hello')).message
    assert.throws(() => bob.read(forged), refused('E2E_BAD_SIGNATURE'))
    for (let bit = 0; bit < message.length * 8; bit += 37) {
      const copy = message.slice()
      copy[bit >> 3]! ^= 1 << (bit & 7)
      assert.throws(() => bob.read(copy), (e: unknown) => e instanceof E2eError && ['E2E_BAD_SIGNATURE', 'E2E_BAD_MESSAGE', 'E2E_BAD_STATE', 'E2E_NO_SENDER_KEY'].includes(e.code), `bit ${bit}`)
    }
    assert.throws(() => bob.read(mallory.send('x')), refused('E2E_BAD_STATE'), 'a record of another sender')
    const otherChain = new Receiver(alice)
    otherChain.accept()
    alice.rotate()
    assert.throws(() => otherChain.read(alice.send('new chain')), refused('E2E_NO_SENDER_KEY'))
    assert.equal(bob.read(message), 'hello')
  })

  it('decoders refuse truncated, extended and random bytes with E2E_BAD_MESSAGE', () => {
    const { alice } = pair()
    const message = alice.send('hello')
    const distribution = alice.distribution()
    for (const bytes of [message, distribution]) {
      const decode = bytes === message ? decodeGroupMessage : decodeDistribution
      for (const cut of [0, 1, 5, bytes.length - 1]) assert.throws(() => decode(bytes.subarray(0, cut)), refused('E2E_BAD_MESSAGE'))
      assert.throws(() => decode(Uint8Array.of(...bytes, 0)), refused('E2E_BAD_MESSAGE'))
    }
    // Random bytes and both kinds damaged: each decoder must accept some and refuse the rest.
    const tally = new FuzzTally()
    const reencodes = (bytes: Uint8Array) => ({ accepted: (d: SenderKeyDistribution) => { assert.deepEqual(encodeDistribution(d), bytes) } })
    fuzzDecoders(tally, 600, fc.oneof(fc.uint8Array({ maxLength: 300 }), damagedBytes(message), damagedBytes(distribution)), bytes => {
      decodeOrRefuse(tally, 'decodeGroupMessage', () => decodeGroupMessage(bytes), refused('E2E_BAD_MESSAGE'))
      decodeOrRefuse(tally, 'decodeDistribution', () => decodeDistribution(bytes), refused('E2E_BAD_MESSAGE'), reencodes(bytes))
    })
  })

  it('takes a distribution only from the sender it names; a repeat changes nothing; another key for a held chain is a conflict', () => {
    const { alice, bob } = pair()
    const d = decodeDistribution(alice.distribution())
    assert.throws(() => acceptDistribution(undefined, d, randomBytes(32), T0), refused('E2E_BAD_MESSAGE'))
    assert.equal(acceptDistribution(bob.record, d, alice.device, T0 + 5), bob.record)
    assert.throws(() => acceptDistribution(bob.record, { ...d, signingKey: randomBytes(32) }, alice.device, T0), refused('E2E_SENDER_KEY_CONFLICT'))
    assert.throws(() => acceptDistribution(bob.record, { ...d, channelId: 'other' }, alice.device, T0), refused('E2E_BAD_STATE'))
  })

  it('rotation: the old chain still reads late messages until pruned, and at most maxChainsPerSender are kept', () => {
    const { alice, bob } = pair()
    const late = alice.send('late')
    alice.rotate(T0 + 10)
    bob.accept(alice.distribution(), T0 + 10)
    assert.equal(bob.read(alice.send('new')), 'new')
    assert.equal(bob.record!.chains.length, 2)
    assert.equal(bob.record!.chains[1]!.retiredAt, T0 + 10)
    assert.equal(pruneSenderKeys(bob.record!, T0 + 20, 1000), bob.record)
    assert.equal(bob.read(late), 'late')
    const late2 = alice.send('late2')
    alice.rotate()
    bob.accept(alice.distribution(), T0 + 20)
    bob.record = pruneSenderKeys(bob.record!, T0 + 1020, 1000)
    assert.equal(bob.record.chains.length, 2, 'the chain retired at T0+10 is dropped')
    assert.equal(bob.read(late2), 'late2')
    assert.deepEqual([T0, T0 + SENDER_KEY_ROTATION_MS - 1, T0 + SENDER_KEY_ROTATION_MS].map(now => rotationDue({ ...alice.chain, createdAt: T0 }, now)), [false, false, true])
    assert.equal(rotationDue({ ...alice.chain, createdAt: T0, iteration: 0xffffffff }, T0), true)
    for (let i = 0; i < 6; i++) { alice.rotate(); bob.accept() }
    assert.equal(bob.record.chains.length, DEFAULT_SENDER_KEY_LIMITS.maxChainsPerSender)
    assert.equal(bob.record.chains.filter(c => c.retiredAt === null).length, 1)
  })

  it('a late distribution of an older chain arrives retired: the highest generation stays current', () => {
    const alice = new Sender()
    const old = alice.distribution()
    const lateMessage = alice.send('old chain')
    alice.rotate()
    const bob = new Receiver(alice)
    bob.accept(alice.distribution(), T0)
    bob.accept(old, T0 + 5)
    assert.deepEqual(bob.record!.chains.map(c => [c.generation, c.retiredAt]), [[1, null], [0, T0 + 5]])
    assert.equal(bob.read(alice.send('new chain')), 'new chain')
    assert.equal(bob.read(lateMessage), 'old chain')
  })

  it('stored forms read back exactly and refuse anything else with E2E_BAD_STATE', () => {
    const { alice, bob } = pair()
    for (let i = 0; i < 3; i++) alice.send('x')
    bob.read(alice.send('y'))
    const chain = ownSenderChainFromJson(JSON.parse(JSON.stringify(ownSenderChainToJson(alice.chain))))
    assert.deepEqual(chain, alice.chain)
    const record = senderKeyRecordFromJson(JSON.parse(JSON.stringify(senderKeyRecordToJson(bob.record!))))
    assert.deepEqual(record, bob.record)
    const good = senderKeyRecordToJson(bob.record!)
    for (const bad of [null, [], { ...good, version: 2 }, { ...good, channelId: 'a b' }, { ...good, chains: {} }, { ...good, sender: 'AAAA' },
      { ...good, chains: [{ ...good.chains[0]!, iteration: -1 }] }, { ...good, chains: [{ ...good.chains[0]!, skipped: [{ iteration: 0, messageKey: 'x' }] }] }]) {
      assert.throws(() => senderKeyRecordFromJson(bad), refused('E2E_BAD_STATE'))
    }
    assert.throws(() => ownSenderChainFromJson({ ...ownSenderChainToJson(alice.chain), signingSeed: 'AA==' }), refused('E2E_BAD_STATE'))
  })

  it('a chain keeps where the ones it replaced stopped (up to four, newest first), in its stored form too; an older stored form has none', () => {
    const alice = new Sender()
    const stops: Array<[Uint8Array, number]> = []
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < round; i++) alice.send('x')
      stops.unshift([alice.chain.chainId, alice.chain.iteration])
      alice.rotate()
    }
    assert.deepEqual(alice.chain.previous.map(end => [end.chainId, end.iteration]), stops.slice(0, MAX_PREVIOUS_CHAINS))
    const json = ownSenderChainToJson(alice.chain)
    assert.deepEqual(ownSenderChainFromJson(JSON.parse(JSON.stringify(json))), alice.chain)
    const { previous: _, ...older } = json
    assert.deepEqual(ownSenderChainFromJson(older).previous, [])
    const bad = [{}, [{ chainId: 'AA==', iteration: 1 }], [{ chainId: json.previous![0]!.chainId, iteration: -1 }], [...json.previous!, json.previous![0]!]]
    for (const previous of bad) assert.throws(() => ownSenderChainFromJson({ ...json, previous }), refused('E2E_BAD_STATE'), JSON.stringify(previous))
  })
})

describe('sender key properties', () => {
  it('any delivery order of a chain\'s messages, with duplicates, decrypts each exactly once within maxSkip', () => {
    const run = fc.record({ count: fc.integer({ min: 1, max: 24 }), seed: fc.array(fc.nat(), { minLength: 24, maxLength: 48 }) })
    fc.assert(fc.property(run, ({ count, seed }) => {
      const { alice, bob } = pair()
      const messages = Array.from({ length: count }, (_, i) => alice.send(`m${i}`))
      // An order with repeats: a permutation, then some messages again.
      const order = messages.map((_, i) => i).sort((a, b) => (seed[a]! - seed[b]!) || a - b)
      const repeats = seed.slice(count).map(n => n % count)
      const limits = { ...DEFAULT_SENDER_KEY_LIMITS, maxSkip: count }
      const seen = new Set<number>()
      for (const i of [...order, ...repeats]) {
        if (seen.has(i)) {
          assert.throws(() => bob.read(messages[i]!, limits), refused('E2E_REPLAY'))
          continue
        }
        assert.equal(bob.read(messages[i]!, limits), `m${i}`)
        seen.add(i)
      }
      assert.equal(seen.size, count)
      assert.equal(bob.record!.chains[0]!.skipped.length, 0, 'every key used is deleted')
    }), { numRuns: 150 })
  })

  it('a removed member\'s old state decrypts nothing of the next chain, even with its id and signing key', () => {
    const run = fc.record({ before: fc.integer({ min: 0, max: 6 }), after: fc.integer({ min: 1, max: 6 }) })
    fc.assert(fc.property(run, ({ before, after }) => {
      const alice = new Sender()
      const bob = new Receiver(alice)
      const carol = new Receiver(alice)
      bob.accept()
      carol.accept()
      for (let i = 0; i < before; i++) {
        const m = alice.send(`old${i}`)
        bob.read(m)
        carol.read(m)
      }
      // Carol is removed: Alice rotates and distributes the new chain to Bob alone.
      alice.rotate()
      bob.accept()
      const next = Array.from({ length: after }, (_, i) => alice.send(`new${i}`))
      for (const [i, m] of next.entries()) {
        assert.throws(() => carol.read(m), refused('E2E_NO_SENDER_KEY'))
        // Carol at her strongest: her last chain key relabelled as the new chain from its start, with its public signing key.
        const d = distributionOf(alice.chain)
        const old = carol.record!.chains[0]!
        const forged = { ...carol.record!, chains: [{ ...old, chainId: d.chainId, signingKey: d.signingKey, iteration: 0, skipped: [] }] }
        assert.throws(() => decryptGroupMessage(forged, m), refused('E2E_DECRYPT_FAILED'))
        assert.equal(bob.read(m), `new${i}`)
      }
    }), { numRuns: 60 })
  })
})

describe('sender keys with the channel log', () => {
  it('the rotation rule: a sender rotates once its log lacks someone it gave its chain to; the removed member reads nothing after', () => {
    const primitives = { sha256, ed25519Verify }
    const devices = [0, 1, 2].map(() => { const seed = randomBytes(32); return { publicKey: ed25519FromSeed(seed).publicKey, sign: ed25519Signer(seed) } })
    const annLog = createChannel(primitives, devices[0]!, { workspace: toBase64Url(randomBytes(32)), name: 'X', topic: '' }, T0)
    for (const d of devices.slice(1)) annLog.append(devices[0]!, { kind: 'invite', device: d.publicKey }, T0)
    const bobLog = ChannelLog.verify(primitives, annLog.entries())
    const people = devices.map(d => new Sender(d.publicKey, annLog.channelId))
    // Who each sender gave its current chain to, and what each member holds of the others' chains.
    const distributedTo = people.map(() => [] as Uint8Array[])
    const records = people.map(() => new Map<number, SenderKeyRecord>())
    const indexOf = (device: Uint8Array): number => devices.findIndex(d => equals(d.publicKey, device))
    const send = (from: number, log: ChannelLog, text: string): Uint8Array => {
      const state = log.state()
      if (lostMembers(distributedTo[from]!, state).length > 0) {
        people[from]!.rotate()
        distributedTo[from] = []
      }
      for (const { device } of state.members) {
        const to = indexOf(device)
        if (to === from || distributedTo[from]!.some(d => equals(d, device))) continue
        records[to]!.set(from, acceptDistribution(records[to]!.get(from), decodeDistribution(people[from]!.distribution()), people[from]!.device, T0))
        distributedTo[from]!.push(device)
      }
      return people[from]!.send(text)
    }
    const read = (to: number, from: number, message: Uint8Array): string => {
      const { plaintext, nextRecord } = decryptGroupMessage(records[to]!.get(from)!, message)
      records[to]!.set(from, nextRecord)
      return fromUtf8(plaintext)
    }
    const m1 = send(0, annLog, 'hello all')
    assert.deepEqual([read(1, 0, m1), read(2, 0, m1)], ['hello all', 'hello all'])
    annLog.append(devices[0]!, { kind: 'remove', device: devices[2]!.publicKey }, T0)
    const m2 = send(0, annLog, 'cat is gone')
    assert.equal(read(1, 0, m2), 'cat is gone')
    assert.throws(() => read(2, 0, m2), refused('E2E_NO_SENDER_KEY'))
    // Bob has not heard of the removal yet: what he sends, Cat still reads (the gap of any serverless system)...
    const m3 = send(1, bobLog, 'before I knew')
    assert.equal(read(2, 1, m3), 'before I knew')
    // ...until his log has the removal: his next message is on a new chain Cat was never given.
    bobLog.addAll(annLog.missingFor(bobLog.heads()))
    const m4 = send(1, bobLog, 'after I knew')
    assert.equal(read(0, 1, m4), 'after I knew')
    assert.throws(() => read(2, 1, m4), refused('E2E_NO_SENDER_KEY'))
  })
})
