// Bad input on the store-and-forward paths, from a hand-made peer over real TCP: relayed envelopes
// naming an author who is not one of ours or who did not write them, deposits for someone we do
// not carry for, oversized and undecodable deposits, deposits naming too many attachment ids or
// ones that are not ids. Each gets a clear code; the node keeps serving.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { MAX_CARRY_DEPOSIT_BYTES, MAX_CARRY_FILES } from '../../core/protocol/limits.js'
import { CARRY_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { CarryAck, CarryDeposit, Envelope } from '../../core/protocol/wire.js'
import { toHex } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'
import { rawPeer } from '../helpers/raw-peer.js'

const STRANGER = '12D3KooWJ5g5WmFvHHy2kHj6nRrFgq3wLsxKoXzZ3A4VZrZ3aW3E'

test('relayed envelopes from strangers or with a false author are refused; the node keeps serving', async (t) => {
  const node = await testNode(t, { name: 'Node' })
  const colleague = await testNode(t, { name: 'Colleague', peers: [addressOf(node)] })
  await waitForPeer(node, colleague.peerId)
  const attacker = await rawPeer(t)
  const genuine = await attacker.seal(node, 'written by the attacker') // also makes it a known peer
  const stream = await attacker.open(node)
  const send = async (envelope: Envelope): Promise<string> => {
    await stream.send(Envelope.encode(envelope))
    return (await stream.ack()).errorCode
  }

  assert.equal(await send({ sealed: randomBytes(200) as Uint8Array<ArrayBuffer>, author: STRANGER }), 'NOT_A_MEMBER')
  // Its own message claimed as the colleague's: the colleague's session cannot open it.
  assert.match(await send({ sealed: genuine as Uint8Array<ArrayBuffer>, author: colleague.peerId }), /^E2E_/)
  // The same bytes under their true author go through: relaying one's own message is just sending it.
  assert.equal(await send({ sealed: genuine as Uint8Array<ArrayBuffer>, author: attacker.libp2p.peerId.toString() }), '')

  await colleague.send(node.peerId, 'still here')
  await eventually(async () => (await node.messages({ with: colleague.peerId, limit: 5 })).find(m => m.text === 'still here'), 20_000, 'a colleague\'s message')
})

test('deposits for someone we do not carry for, oversized or undecodable, are refused by code', async (t) => {
  const node = await testNode(t, { name: 'Node' })
  const colleague = await testNode(t, { name: 'Colleague', peers: [addressOf(node)] })
  await waitForPeer(node, colleague.peerId)
  const depositor = await rawPeer(t)
  await depositor.seal(node, 'hello') // known to the node from now on
  const open = async () => lpStream(await depositor.libp2p.dialProtocol(multiaddr(addressOf(node)), CARRY_PROTOCOL), { maxDataLength: MAX_CARRY_DEPOSIT_BYTES * 2 })
  const lp = await open()
  const deposit = async (recipient: string, sealed: Uint8Array): Promise<string> => {
    await lp.write(CarryDeposit.encode({ recipient, sealed: sealed as Uint8Array<ArrayBuffer> }))
    return CarryAck.decode(await lp.read()).errorCode
  }
  assert.equal(await deposit(STRANGER, randomBytes(100)), 'CARRY_REFUSED')
  assert.equal(await deposit(depositor.libp2p.peerId.toString(), randomBytes(100)), 'CARRY_REFUSED')
  assert.equal(await deposit(node.peerId, randomBytes(100)), 'CARRY_REFUSED')
  assert.equal(await deposit(colleague.peerId, new Uint8Array(0)), 'BAD_FRAME')
  assert.equal(await deposit(colleague.peerId, randomBytes(100)), '', 'held for a known colleague')
  assert.equal(await deposit(colleague.peerId, randomBytes(100)), '')

  await lp.write(randomBytes(64))
  assert.equal(CarryAck.decode(await lp.read()).errorCode, 'BAD_FRAME')

  const big = await open()
  await big.write(new Uint8Array(MAX_CARRY_DEPOSIT_BYTES + 1))
  assert.equal(CarryAck.decode(await big.read()).errorCode, 'FRAME_TOO_LARGE')

  // The node still delivers, and handed the colleague the deposits (which it could not open: they are noise).
  await colleague.send(node.peerId, 'still here')
  await eventually(async () => (await node.messages({ with: colleague.peerId, limit: 5 })).find(m => m.text === 'still here'), 20_000, 'a colleague\'s message')
})

test('a deposit naming more attachment ids than a message has, or ids that are not ids, is refused; one without ids is held', async (t) => {
  const node = await testNode(t, { name: 'Node' })
  const colleague = await testNode(t, { name: 'Colleague', peers: [addressOf(node)] })
  await waitForPeer(node, colleague.peerId)
  const depositor = await rawPeer(t)
  await depositor.seal(node, 'hello')
  const open = async () => lpStream(await depositor.libp2p.dialProtocol(multiaddr(addressOf(node)), CARRY_PROTOCOL), { maxDataLength: MAX_CARRY_DEPOSIT_BYTES * 2 })
  const lp = await open()
  const deposit = async (files: string[], stream = lp): Promise<string> => {
    await stream.write(CarryDeposit.encode({ recipient: colleague.peerId, sealed: randomBytes(100) as Uint8Array<ArrayBuffer>, files }))
    return CarryAck.decode(await stream.read()).errorCode
  }
  const ids = (count: number): string[] => Array.from({ length: count }, () => toHex(randomBytes(32)))
  assert.equal(await deposit(['../../etc/passwd']), 'BAD_FRAME')
  assert.equal(await deposit([ids(1)[0]!.toUpperCase()]), 'BAD_FRAME')
  assert.equal(await deposit([]), '', 'an older node\'s deposit, without ids, is held')
  assert.equal(await deposit(ids(MAX_CARRY_FILES)), '', 'as many ids as a message has files and previews: held (the files are fetched from the depositor)')
  assert.equal(await deposit(ids(MAX_CARRY_FILES + 1)), 'BAD_FRAME', 'more: the frame is refused and the stream ends')
  await assert.rejects(deposit([], lp))
  assert.equal(await deposit([], await open()), '', 'a new stream is served')

  await colleague.send(node.peerId, 'still here')
  await eventually(async () => (await node.messages({ with: colleague.peerId, limit: 5 })).find(m => m.text === 'still here'), 20_000, 'a colleague\'s message')
})
