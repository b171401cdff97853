// The 6-digit code of an admission over the network (core/workspace/admission-code.ts), and the
// bounds of a desk's side: what a flood of admins or a bad offer can make it keep.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Connection } from '@libp2p/interface'
import { Level } from 'level'
import { randomBytes } from '../../crypto/random.js'
import { admissionCode, commitNonce, nonceMatches } from '../../core/workspace/admission-code.js'
import { JoinOffers } from '../../core/workspace/join-offers.js'
import { Membership } from '../../core/workspace/membership.js'
import { ADMISSION_TTL_MS, MAX_ADMITTING_WORKSPACES, MAX_OFFERS_PER_WINDOW } from '../../core/protocol/workspace-limits.js'
import { tempHome } from '../helpers/nodes.js'

const sample = () => ({ root: randomBytes(32), admin: randomBytes(32), newcomer: randomBytes(32), adminNonce: randomBytes(32), newcomerNonce: randomBytes(32) })

test('the code is six digits, the same for the same inputs, and changes with each of them', () => {
  const input = sample()
  const code = admissionCode(input)
  assert.match(code, /^[0-9]{6}$/)
  assert.equal(admissionCode({ ...input }), code)
  for (const field of Object.keys(input) as Array<keyof typeof input>) {
    // One in a million two inputs share a code: two fresh values for the field make that one in 10^12.
    const changed = [admissionCode({ ...input, [field]: randomBytes(32) }), admissionCode({ ...input, [field]: randomBytes(32) })]
    assert.ok(changed.some(other => other !== code), `the code depends on ${field}`)
  }
  // The admin and the newcomer are not interchangeable.
  assert.notEqual(admissionCode({ ...input, admin: input.newcomer, newcomer: input.admin }), code)
})

test('the codes spread over all six digits (leading zeros kept)', () => {
  const firsts = new Set(Array.from({ length: 400 }, () => admissionCode(sample())[0]))
  assert.equal(firsts.size, 10)
})

test('a nonce matches its commitment only', () => {
  const nonce = randomBytes(32)
  assert.ok(nonceMatches(nonce, commitNonce(nonce)))
  assert.ok(!nonceMatches(randomBytes(32), commitNonce(nonce)))
  assert.ok(!nonceMatches(nonce.subarray(1), commitNonce(nonce)))
})

async function fakeConnection (): Promise<Connection> {
  const remotePeer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  return { remotePeer, status: 'open' } as unknown as Connection
}

test('a desk keeps at most MAX_ADMITTING_WORKSPACES admins, refuses an offer it did not ask for and bad names', async (t) => {
  const db = new Level(await tempHome(t))
  t.after(async () => { await db.close() })
  const membership = await Membership.open({ db: db.sublevel('membership') })
  const device = { publicKey: randomBytes(32), sign: () => new Uint8Array(64), identityKey: randomBytes(32), prekeyId: 1, prekey: randomBytes(32), name: 'Bob' }
  const offers = new JoinOffers({ membership, device, connection: () => ({}) as Connection, now: Date.now, joined: () => {} })
  const noEntries = async () => []
  const flood = await Promise.all(Array.from({ length: 3 * MAX_ADMITTING_WORKSPACES }, fakeConnection))
  let lastCommitment: Uint8Array | undefined
  for (const [i, admin] of flood.entries()) {
    const answer = await offers.answer(admin, { kind: 'solicit', workspace: `Office ${i}`, name: `Admin ${i}` }, noEntries)
    assert.equal(answer.name, 'Bob')
    assert.equal(answer.commitment?.length, 32)
    lastCommitment = answer.commitment
  }
  const kept = offers.list()
  assert.equal(kept.length, MAX_ADMITTING_WORKSPACES)
  assert.deepEqual(kept.map(o => o.peerId), flood.slice(-MAX_ADMITTING_WORKSPACES).map(c => c.remotePeer.toString()))
  const stranger = await fakeConnection()
  await assert.rejects(offers.answer(stranger, { kind: 'offer', root: randomBytes(32), invite: randomBytes(32), nonce: randomBytes(32) }, noEntries), { code: 'ADMISSION_NO_REQUEST' })
  await assert.rejects(offers.answer(stranger, { kind: 'solicit', workspace: 'Acme', name: 'x'.repeat(65) }, noEntries), { code: 'ADMISSION_REFUSED' })
  await assert.rejects(offers.answer(stranger, { kind: 'solicit', workspace: 'line\nbreak', name: 'Eve' }, noEntries), { code: 'ADMISSION_REFUSED' })
  const last = flood.at(-1)!
  await assert.rejects(offers.answer(last, { kind: 'offer', root: randomBytes(31), invite: randomBytes(32), nonce: randomBytes(32) }, noEntries), { code: 'ADMISSION_REFUSED' })
  // A nonce answers one offer: the next needs a fresh commitment (else whoever saw the nonce could
  // choose its own to match any code).
  const offer = { kind: 'offer' as const, root: randomBytes(32), invite: randomBytes(32), nonce: randomBytes(32) }
  const revealed = (await offers.answer(last, offer, noEntries)).nonce!
  assert.ok(nonceMatches(revealed, lastCommitment!))
  await assert.rejects(offers.answer(last, { ...offer, nonce: randomBytes(32) }, noEntries), { code: 'ADMISSION_REFUSED' })
  // A welcome from an admin whose offer this desk never confirmed is refused unread.
  await assert.rejects(offers.answer(last, { kind: 'welcome' }, async () => { throw new Error('read') }), { code: 'ADMISSION_REFUSED' })
  assert.equal(membership.log, undefined)
})

test('a desk answers at most MAX_OFFERS_PER_WINDOW offers in a window, from all admins together', async (t) => {
  const db = new Level(await tempHome(t))
  t.after(async () => { await db.close() })
  const membership = await Membership.open({ db: db.sublevel('membership') })
  const clock = { now: 1_000_000 }
  const device = { publicKey: randomBytes(32), sign: () => new Uint8Array(64), identityKey: randomBytes(32), prekeyId: 1, prekey: randomBytes(32), name: 'Bob' }
  const offers = new JoinOffers({ membership, device, connection: () => ({}) as Connection, now: () => clock.now, joined: () => {} })
  const noEntries = async () => []
  // A device in the middle probing codes: ask, offer, read the nonce, again, under new identities.
  const probe = async (): Promise<unknown> => {
    const admin = await fakeConnection()
    await offers.answer(admin, { kind: 'solicit', workspace: 'Acme', name: 'Ada' }, noEntries)
    return await offers.answer(admin, { kind: 'offer', root: randomBytes(32), invite: randomBytes(32), nonce: randomBytes(32) }, noEntries)
  }
  for (let i = 0; i < MAX_OFFERS_PER_WINDOW; i++) await probe()
  await assert.rejects(probe(), { code: 'ADMISSION_REFUSED' })
  clock.now += ADMISSION_TTL_MS
  await probe()
})
