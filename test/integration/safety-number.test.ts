// Safety numbers and trust through real nodes on loopback (mDNS off): both sides compute the same
// 60 digits, trusting marks a peer verified, and trusting a peer whose identity key changed accepts
// the new key: messages flow again both ways, on a new session, and the journal keeps the decision.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { compareSafetyQr } from '../../crypto/safety-number.js'
import { x25519FromPrivate } from '../../crypto/device-keys.js'
import { fromBase64, fromUtf8 } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { loadOrCreateDeviceKeys, saveDeviceKeys } from '../../core/profile/keystore.js'
import type { CausetteNode } from '../../core/node/node.js'
import type { PeerView, SafetyNumberView, TrustView } from '../../core/api/schema.js'
import { startApiServer } from '../../core/api/server.js'
import { runCli } from '../../core/cli/run.js'
import { addressOf, eventually, tempHome, testNode, waitForEvent, waitForPeer } from '../helpers/nodes.js'

async function peer (node: CausetteNode, peerId: string): Promise<PeerView> {
  const found = (await node.peers()).find(p => p.peerId === peerId)
  assert.ok(found, `no peer ${peerId}`)
  return found
}

/** Two connected nodes that know each other. */
async function pair (t: TestContext): Promise<{ alice: CausetteNode, bob: CausetteNode }> {
  const alice = await testNode(t, { name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
  await waitForPeer(alice, bob.peerId)
  await waitForPeer(bob, alice.peerId)
  return { alice, bob }
}

/** Sends `text` from `from` to `to` and waits until it is stored there and delivered here. */
async function deliver (from: CausetteNode, to: CausetteNode, toName: string, text: string): Promise<void> {
  const sent = await from.send(toName, text)
  await eventually(async () => (await to.messages({ limit: 1000 })).find(m => m.id === sent.id && m.text === text), 20_000, `"${text}" received`)
  const state = await eventually(async () => (await from.messages({ limit: 1000 })).find(m => m.id === sent.id && m.state !== 'queued' && m.state !== 'sent'), 20_000, `"${text}" settled`)
  assert.equal(state.state, 'delivered', state.stateReason)
}

/** The decisions of the key-change entries of `node`'s journal, after checking the export. */
async function keyChangeDecisions (node: CausetteNode): Promise<string[]> {
  const lines: string[] = []
  for await (const line of node.exportJournal({})) lines.push(line)
  const report = await verifyExport(lines, nodeLogPrimitives)
  const entries = lines.filter(l => l.startsWith('entry ')).map(l => JSON.parse(fromUtf8(fromBase64(l.split(' ')[3]!))) as { kind: string, decision?: string })
  const decisions = entries.filter(e => e.kind === 'key-change').map(e => e.decision!)
  assert.equal(report.kinds['key-change'] ?? 0, decisions.length)
  return decisions
}

/**
 * Restarts `bob`'s device with a new identity key (its device key, hence its PeerId, kept). In place,
 * the profile keeps its sessions and contacts; `reinstall` starts from an empty profile instead, with a
 * new prekey too, as a reinstalled machine would.
 */
async function newIdentity (t: TestContext, bob: CausetteNode, alice: CausetteNode, { reinstall }: { reinstall: boolean }): Promise<CausetteNode> {
  await bob.stop()
  const old = await loadOrCreateDeviceKeys(bob.home)
  let home = bob.home
  let keys = { ...old.keys, identity: x25519FromPrivate(randomBytes(32)) }
  let masterKey = old.masterKey
  if (reinstall) {
    home = await tempHome(t)
    const fresh = await loadOrCreateDeviceKeys(home)
    keys = { ...fresh.keys, device: old.keys.device }
    masterKey = fresh.masterKey
  }
  await saveDeviceKeys(home, masterKey, keys)
  const changed = waitForEvent(alice, ({ event }) => event.type === 'peer' && event.peer.peerId === bob.peerId && event.peer.keyChanged)
  const restarted = await testNode(t, { home, name: 'bob', peers: [addressOf(alice)] })
  assert.equal(restarted.peerId, bob.peerId)
  await changed
  await waitForPeer(restarted, alice.peerId)
  return restarted
}

/** Runs `causette <args> --home <home>` in this process, against `node`'s real API server. */
async function cliOf (t: TestContext, node: CausetteNode): Promise<(...args: string[]) => Promise<{ code: number, out: string[], err: string[] }>> {
  const server = await startApiServer({ node, home: node.home, port: 0 })
  t.after(async () => { await server.close() })
  return async (...args) => {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli([...args, '--home', node.home], { out: line => out.push(line), err: line => err.push(line), env: {} })
    return { code, out, err }
  }
}

describe('safety numbers and trust', () => {
  it('both sides compute the same 60 digits; each QR code matches on the other side; trust marks verified', async (t) => {
    const { alice, bob } = await pair(t)
    const fromAlice = await alice.safetyNumber('bob')
    const fromBob = await bob.safetyNumber(alice.peerId)
    assert.match(fromAlice.digits, /^\d{5}( \d{5}){11}$/)
    assert.equal(fromAlice.digits, fromBob.digits)
    assert.deepEqual([fromAlice.peerId, fromAlice.name, fromAlice.verified, fromAlice.keyChanged], [bob.peerId, 'bob', false, false])

    // Bob scans Alice's screen: his node compares it with the keys he holds for both of them.
    const aliceKey = fromBase64((await peer(bob, alice.peerId)).deviceKey)
    const bobKey = fromBase64((await peer(alice, bob.peerId)).deviceKey)
    assert.equal(compareSafetyQr(fromBase64(fromAlice.qr), bobKey, aliceKey), 'match')
    assert.equal(compareSafetyQr(fromBase64(fromBob.qr), aliceKey, bobKey), 'match')
    assert.equal(compareSafetyQr(fromBase64(fromAlice.qr), aliceKey, bobKey), 'mismatch') // her own code, shown back to her

    assert.equal((await peer(alice, bob.peerId)).verified, false)
    const verifiedEvent = waitForEvent(alice, ({ event }) => event.type === 'peer' && event.peer.peerId === bob.peerId && event.peer.verified)
    const trusted = await alice.trust('bob')
    assert.deepEqual([trusted.peer.peerId, trusted.peer.verified, trusted.acceptedKeyChange], [bob.peerId, true, false])
    await verifiedEvent
    assert.equal((await peer(alice, bob.peerId)).verified, true)
    assert.equal((await alice.safetyNumber(bob.peerId)).verified, true)
    assert.equal((await peer(bob, alice.peerId)).verified, false, "Bob has not verified Alice: that is his own decision")
    assert.deepEqual(await keyChangeDecisions(alice), [])

    await assert.rejects(alice.safetyNumber('carol'), { code: 'UNKNOWN_PEER' })
    await assert.rejects(alice.trust('carol'), { code: 'UNKNOWN_PEER' })
  })

  it('a key change blocks and clears verification; trust accepts the new key, and messages flow again both ways', async (t) => {
    const { alice, bob } = await pair(t)
    await deliver(alice, bob, 'bob', 'before')
    await deliver(bob, alice, 'alice', 'before, too')
    await alice.trust('bob')
    const digits = (await alice.safetyNumber('bob')).digits

    // The scenario of key-pinning.test.ts: Bob's device comes back with another identity key.
    const bob2 = await newIdentity(t, bob, alice, { reinstall: false })
    const blocked = await peer(alice, bob.peerId)
    assert.deepEqual([blocked.keyChanged, blocked.verified], [true, false], 'a key change clears the verification')
    await assert.rejects(alice.send('bob', 'are you still you?'), { code: 'KEY_CHANGED' })
    const shown = await alice.safetyNumber('bob')
    assert.deepEqual([shown.digits, shown.keyChanged, shown.verified], [digits, true, false])

    const trusted = await alice.trust('bob')
    assert.deepEqual([trusted.acceptedKeyChange, trusted.peer.keyChanged, trusted.peer.verified], [true, false, true])
    assert.equal((await alice.trust('bob')).acceptedKeyChange, false, 'accepted once')

    await deliver(alice, bob2, 'bob', 'welcome back')
    await deliver(bob2, alice, 'alice', 'thanks, it is me')
    assert.deepEqual(await keyChangeDecisions(alice), ['blocked', 'accepted'])
  })

  it('after a reinstall (new identity key and prekey, no sessions left) trust starts a new session', async (t) => {
    const { alice, bob } = await pair(t)
    await deliver(alice, bob, 'bob', 'before the reinstall')
    await deliver(bob, alice, 'alice', 'noted')

    const bob2 = await newIdentity(t, bob, alice, { reinstall: true })
    assert.equal((await bob2.safetyNumber(alice.peerId)).digits, (await alice.safetyNumber(bob.peerId)).digits)
    await alice.trust(bob.peerId)

    // Bob's new profile holds no session: only a new one, started with his new keys, can reach him.
    await deliver(alice, bob2, 'bob', 'welcome back')
    await deliver(bob2, alice, 'alice', 'thanks')
    assert.deepEqual(await keyChangeDecisions(alice), ['blocked', 'accepted'])
  })
})

describe('causette verify and causette trust', () => {
  it('print the safety number and how to compare it, mark verified, and say when a changed key was accepted', async (t) => {
    const { alice, bob } = await pair(t)
    const causette = await cliOf(t, alice)
    const digits = (await bob.safetyNumber(alice.peerId)).digits

    const shown = await causette('verify', 'bob')
    assert.equal(shown.code, 0, shown.err.join('\n'))
    const rows = shown.out.filter(line => /^\s+\d{5}( \d{5}){3}$/.test(line)).map(line => line.trim())
    assert.equal(rows.join(' '), digits, 'twelve groups of five, as three rows of four: the digits Bob sees')
    const text = shown.out.join('\n')
    assert.match(text, /read the\s+digits to each other/)
    assert.match(text, /QR code/)
    assert.match(text, /causette trust bob/)

    const json = await causette('verify', bob.peerId, '--json')
    assert.deepEqual(JSON.parse(json.out[0]!) as SafetyNumberView, await alice.safetyNumber('bob'))

    const trusted = await causette('trust', 'bob')
    assert.equal(trusted.code, 0, trusted.err.join('\n'))
    assert.match(trusted.out.join('\n'), /^bob \(.+\) is verified$/)
    assert.match((await causette('verify', 'bob')).out.join('\n'), /bob is verified/)

    const bob2 = await newIdentity(t, bob, alice, { reinstall: false })
    assert.match((await causette('verify', 'bob')).out.join('\n'), /NEW KEY/)
    const accepted = await causette('trust', 'bob', '--json')
    assert.deepEqual((JSON.parse(accepted.out[0]!) as TrustView).acceptedKeyChange, true)
    assert.match((await causette('trust', 'bob')).out.join('\n'), /is verified/)
    await deliver(alice, bob2, 'bob', 'the command line unblocked you')

    const unknown = await causette('verify', 'carol')
    assert.deepEqual([unknown.code, unknown.out], [1, []])
    assert.match(unknown.err.join('\n'), /carol/)
    assert.equal((await causette('trust')).code, 2)
  })
})
