// Token buckets (core/protocol/rate-limit.ts) and the per-peer abuse limits built on them
// (core/protocol/peer-limits.ts), on a clock the test moves.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Connection, PeerId } from '@libp2p/interface'
import { TokenBuckets } from '../../core/protocol/rate-limit.js'
import { PeerLimits, type LimitedHost } from '../../core/protocol/peer-limits.js'
import { ReadGate } from '../../core/protocol/read-gate.js'
import { limitStreams } from '../../core/protocol/stream-limiter.js'

function clock (start = 1_000_000) {
  const c = { ms: start, now: () => c.ms }
  return c
}

async function peer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

test('a bucket gives its burst at once, then its rate', () => {
  const time = clock()
  const buckets = new TokenBuckets({ ratePerSecond: 10, burst: 5 }, time)
  for (let i = 0; i < 5; i++) assert.equal(buckets.tryTake('a'), true)
  assert.equal(buckets.tryTake('a'), false)
  assert.equal(buckets.delayMs('a'), 100)
  assert.equal(buckets.tryTake('b'), true, 'keys are independent')
  time.ms += 100
  assert.equal(buckets.delayMs('a'), 0)
  assert.equal(buckets.tryTake('a'), true)
  assert.equal(buckets.tryTake('a'), false)
  time.ms += 60_000
  assert.equal(buckets.tryTake('a', 5), true, 'an idle key refills to its burst, no further')
  assert.equal(buckets.tryTake('a'), false)
})

test('take waits for the tokens instead of refusing', async () => {
  const buckets = new TokenBuckets({ ratePerSecond: 1000, burst: 2 })
  let taken = 0
  for (let i = 0; i < 10; i++) { await buckets.take('a'); taken++ }
  assert.equal(taken, 10)
  await assert.rejects(buckets.take('a', 3), RangeError)
})

test('buckets stay bounded: full (idle) ones are forgotten first, then the least recently used', () => {
  const time = clock()
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 3, maxKeys: 4 }, time)
  buckets.tryTake('busy', 3)
  for (let i = 0; i < 100; i++) buckets.tryTake(`idle-${i}`, 0)
  assert.ok(buckets.size <= 4)
  assert.equal(buckets.tryTake('busy'), false, 'the drained bucket was kept, not forgotten into a fresh one')
  for (let i = 0; i < 10; i++) buckets.tryTake(`drained-${i}`, 3)
  assert.ok(buckets.size <= 4)
})

test('a bucket refuses a nonsense configuration', () => {
  assert.throws(() => new TokenBuckets({ ratePerSecond: 0, burst: 1 }), RangeError)
  assert.throws(() => new TokenBuckets({ ratePerSecond: 1, burst: 0 }), RangeError)
})

test('streams beyond the per-peer rate are refused per protocol; strikes beyond the burst cut the peer off for a cool-down', async () => {
  const time = clock()
  const limits = new PeerLimits({ streamsPerSecond: 1, streamBurst: 3, strikesPerSecond: 1, strikeBurst: 2, coolDownMs: 10_000 }, time)
  const refusals: string[] = []
  limits.onRefused((_, code) => { refusals.push(code) })
  const a = (await peer()).toString()
  for (let i = 0; i < 3; i++) assert.equal(limits.admitStream(a, '/p/1'), undefined)
  assert.equal(limits.admitStream(a, '/q/1'), undefined, 'another protocol has its own bucket')
  assert.equal(limits.admitStream(a, '/p/1')?.code, 'RATE_LIMITED')
  assert.equal(limits.admitStream(a, '/p/1')?.code, 'RATE_LIMITED')
  assert.equal(limits.coolingDown(a), false, 'two strikes are within the burst')
  assert.equal(limits.admitStream(a, '/p/1')?.code, 'RATE_LIMITED')
  assert.equal(limits.coolingDown(a), true)
  assert.deepEqual(refusals, ['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'COOLING_DOWN'])
  time.ms += 5_000
  assert.equal(limits.admitStream(a, '/q/1')?.code, 'COOLING_DOWN', 'every protocol is refused during the cool-down')
  time.ms += 5_000
  assert.equal(limits.coolingDown(a), false)
  assert.equal(limits.admitStream(a, '/p/1'), undefined)
  assert.deepEqual(limits.counts, { streamsRefused: 4, connectionsRefused: 0, messagesSlowed: 0, strikes: 4, coolDowns: 1 })
})

test('the wrapped handler never sees a refused stream, which is aborted with the reason', async () => {
  const limits = new PeerLimits({ streamBurst: 1 })
  const remotePeer = await peer()
  const handled: string[] = []
  const handler = limitStreams((stream) => { handled.push(stream.id) }, { protocol: '/p/1', limits })
  const aborted: Error[] = []
  const stream = (id: string) => ({ id, abort: (error: Error) => { aborted.push(error) }, addEventListener: () => {} }) as any
  await handler(stream('s1'), { remotePeer } as any)
  await handler(stream('s2'), { remotePeer } as any)
  assert.deepEqual(handled, ['s1'])
  assert.equal((aborted[0] as any).code, 'RATE_LIMITED')
})

test('the gater refuses a peer in its cool-down both ways, and otherwise asks the inner gater', async () => {
  const limits = new PeerLimits({ strikeBurst: 1, strikesPerSecond: 1 })
  const [bad, good, stranger] = [await peer(), await peer(), await peer()]
  const gater = limits.gate({ denyInboundEncryptedConnection: p => p.equals(stranger), denyDialPeer: p => p.equals(stranger) })
  const conn = {} as any
  limits.strike(bad.toString(), 'BAD_FRAME', 'test')
  limits.strike(bad.toString(), 'BAD_FRAME', 'test')
  assert.equal(await gater.denyInboundEncryptedConnection?.(bad, conn), true)
  assert.equal(await gater.denyOutboundEncryptedConnection?.(bad, conn), true)
  assert.equal(await gater.denyDialPeer?.(bad), true)
  assert.equal(await gater.denyInboundEncryptedConnection?.(good, conn), false)
  assert.equal(await gater.denyOutboundEncryptedConnection?.(good, conn), false)
  assert.equal(await gater.denyInboundEncryptedConnection?.(stranger, conn), true)
  assert.equal(await gater.denyDialPeer?.(stranger), true)
  assert.equal(limits.counts.connectionsRefused, 3)
})

test('a peer over its pending bound waits until one of its messages is stored; others do not', async () => {
  const limits = new PeerLimits({ maxPendingMessages: 2 })
  const [a, b] = [(await peer()).toString(), (await peer()).toString()]
  const stores: Array<() => void> = []
  const store = (): Promise<void> => new Promise(resolve => { stores.push(resolve) })
  for (let i = 0; i < 2; i++) {
    assert.equal(limits.messageTurn(a), undefined)
    limits.track(a, store())
  }
  const turn = limits.messageTurn(a)
  assert.ok(turn !== undefined, 'a third pending message must wait')
  assert.equal(limits.messageTurn(b), undefined, 'another peer is not held up')
  let granted = false
  void turn.then(() => { granted = true })
  await new Promise(resolve => setImmediate(resolve))
  assert.equal(granted, false)
  stores.shift()!()
  await turn
  assert.equal(limits.counts.messagesSlowed, 1)
})

test('a peer over its message rate waits for tokens', async () => {
  const limits = new PeerLimits({ messagesPerSecond: 1000, messageBurst: 1 })
  const a = (await peer()).toString()
  assert.equal(limits.messageTurn(a), undefined)
  const turn = limits.messageTurn(a)
  assert.ok(turn !== undefined)
  await turn
  assert.equal(limits.counts.messagesSlowed, 1)
})

test('connections beyond the per-peer bound are closed; a cut-off peer loses all its connections', async () => {
  const listeners = new Map<string, (event: any) => void>()
  const open: Connection[] = []
  const host = {
    addEventListener: (type: string, listener: (event: any) => void) => { listeners.set(type, listener) },
    getConnections: () => open.filter(c => c.status === 'open'),
    logger: { forComponent: () => () => {} }
  } as unknown as LimitedHost
  const limits = new PeerLimits({ maxConnectionsPerPeer: 2, strikeBurst: 2, strikesPerSecond: 1 })
  limits.attach(host)
  const [a, b] = [await peer(), await peer()]
  let n = 0
  const connect = (remotePeer: PeerId, direction: 'inbound' | 'outbound' = 'inbound'): Connection => {
    const c = { id: `c${n++}`, remotePeer, direction, status: 'open', abort: () => { c.status = 'closed'; listeners.get('connection:close')?.({ detail: c }) } } as any
    open.push(c)
    listeners.get('connection:open')?.({ detail: c })
    return c
  }
  const [a1, a2] = [connect(a), connect(a)]
  const a3 = connect(a)
  assert.equal(a3.status, 'closed')
  const b1 = connect(b)
  connect(a, 'outbound')
  assert.equal(limits.counts.connectionsRefused, 1, 'our own dials are not refused')
  connect(a)
  connect(a)
  assert.equal(limits.coolingDown(a.toString()), true)
  assert.deepEqual([a1.status, a2.status, b1.status], ['closed', 'closed', 'open'])
})

/** Just what ReadGate uses of a libp2p stream: 'message' events, readStatus, pause and resume. */
class FakeStream extends EventTarget {
  readStatus: 'readable' | 'paused' = 'readable'
  pause (): void { this.readStatus = 'paused' }
  resume (): void { this.readStatus = 'readable' }
  receive (bytes: number): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data: new Uint8Array(bytes) }))
  }

  /** Ends the stream, as libp2p's does: the gate's stall timer goes with it. */
  close (): void { this.dispatchEvent(new Event('close')) }
  abort (): void { this.close() }
}

async function microtasks (): Promise<void> {
  await new Promise(resolve => setImmediate(resolve))
}

test('a read gate pauses a stream with too much unread, and while its reader waits; it resumes at half', async () => {
  const stream = new FakeStream()
  const gate = new ReadGate(stream as any, 1000)
  stream.receive(600)
  await microtasks()
  assert.equal(stream.readStatus, 'readable')
  stream.receive(600)
  await microtasks()
  assert.equal(stream.readStatus, 'paused', '1,200 bytes unread')
  gate.consumed(100)
  assert.equal(stream.readStatus, 'paused', '1,100 unread: still over half')
  gate.consumed(700)
  assert.equal(stream.readStatus, 'readable', '400 unread')
  let release = (): void => {}
  const waiting = gate.wait(new Promise<void>(resolve => { release = resolve }))
  assert.equal(stream.readStatus, 'paused', 'paused while the reader waits its turn')
  release()
  await waiting
  assert.equal(stream.readStatus, 'readable')
  await assert.rejects(gate.wait(Promise.reject(new Error('gone'))), /gone/)
  assert.equal(stream.readStatus, 'readable', 'a failed wait resumes too')
  // 400 bytes stay unread: without the end of the stream, the stall timer would fire 30 s on, in
  // whatever test then runs in this process (the unit tests share one).
  stream.close()
})

// A desk whose clock was a day ahead is set right (as the clock banner asks, or by NTP): before, every
// bucket touched again lost a day of refill (-86,400 s × the rate), so every colleague's streams
// were refused (each a strike: cut off), its messages waited a day, and a cool-down lasted a day more.
test('a clock set back a day refuses nobody and cuts nobody off for longer than the cool-down', async () => {
  const time = clock(10 * 86_400_000)
  const limits = new PeerLimits({ streamsPerSecond: 1, streamBurst: 3, messagesPerSecond: 1, messageBurst: 3, strikesPerSecond: 1, strikeBurst: 2, coolDownMs: 10_000 }, time)
  const colleague = (await peer()).toString()
  const abuser = (await peer()).toString()
  assert.equal(limits.admitStream(colleague, '/p/1'), undefined)
  assert.equal(limits.messageTurn(colleague), undefined)
  limits.strike(colleague, 'BAD_FRAME', 'one honest mistake')
  for (let i = 0; i < 3; i++) limits.strike(abuser, 'BAD_FRAME', 'again')
  assert.equal(limits.coolingDown(abuser), true)

  time.ms -= 86_400_000
  assert.equal(limits.admitStream(colleague, '/p/1'), undefined, 'a colleague\'s stream is admitted after the clock went back')
  assert.equal(limits.messageTurn(colleague), undefined, 'and its message read at once')
  limits.strike(colleague, 'BAD_FRAME', 'another honest mistake')
  assert.equal(limits.coolingDown(colleague), false, 'one strike more does not cut it off')
  time.ms += 10_000
  assert.equal(limits.coolingDown(abuser), false, 'a cool-down ends after its length, not a day later')
})

test('a bucket whose clock goes back keeps its tokens, and refills from then on', () => {
  const time = clock()
  const buckets = new TokenBuckets({ ratePerSecond: 10, burst: 5 }, time)
  assert.equal(buckets.tryTake('a', 4), true)
  time.ms -= 3_600_000
  assert.equal(buckets.tryTake('a'), true, 'the token left is still there')
  assert.equal(buckets.delayMs('a'), 100)
})
