// Admitting desks over the network (issue 14, "join in two clicks"), with real nodes on 127.0.0.1:
// four desks talking before any workspace; one creates it, sees the three others as wanting to
// join, and admits each with the 6-digit code both screens show. No connection between any two
// desks is closed meanwhile: every connection id open before the workspace is still open after. The
// app follows it all by the nodes' `admission` events alone, as the checks on `followed` show.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AdmissionView } from '../../core/api/schema.js'
import type { CausetteNode } from '../../core/node/node.js'
import { addressOf, eventually, testNode } from '../helpers/nodes.js'

const coded = (code: string) => (error: unknown) => (error as { code?: string }).code === code

async function ids (node: CausetteNode): Promise<Set<string>> {
  return new Set((await node.connections()).map(c => c.id))
}

async function requestOf (admin: CausetteNode, desk: CausetteNode) {
  return await eventually(async () => (await admin.admission()).requests.find(r => r.peerId === desk.peerId), 20_000, `${desk.peerId.slice(-6)} listed as wanting to join`)
}

async function offerOf (desk: CausetteNode, admin: CausetteNode) {
  return await eventually(async () => (await desk.admission()).offers.find(o => o.peerId === admin.peerId), 20_000, 'the admin\'s offer')
}

async function admitted (admin: CausetteNode, desk: CausetteNode): Promise<void> {
  await eventually(async () => (await desk.workspaceView())?.members.some(m => m.peerId === admin.peerId) === true || undefined, 20_000, 'the desk admitted')
}

/** The lists as the app knows them: from the node's `admission` events alone, never asked for. */
function followed (node: CausetteNode): { view: AdmissionView } {
  const follower = { view: { requests: [], offers: [] } as AdmissionView }
  node.events.subscribe(undefined, ({ event }) => { if (event.type === 'admission') follower.view = event.admission })
  return follower
}

async function seen<T> (follower: { view: AdmissionView }, find: (view: AdmissionView) => T | undefined, what: string): Promise<T> {
  return await eventually(() => find(follower.view), 20_000, `${what}, by the admission events`)
}

test('an admin admits three desks on its network with the code compared on both screens; no connection drops', async (t) => {
  const ada = await testNode(t, { name: 'Ada' })
  const bob = await testNode(t, { name: 'Bob', peers: [addressOf(ada)] })
  const cyd = await testNode(t, { name: 'Cyd', peers: [addressOf(ada), addressOf(bob)] })
  const dan = await testNode(t, { name: 'Dan', peers: [addressOf(ada), addressOf(bob), addressOf(cyd)] })
  const desks = [ada, bob, cyd, dan]
  const [adaSees, bobSees, cydSees, danSees] = desks.map(followed) as [ReturnType<typeof followed>, ReturnType<typeof followed>, ReturnType<typeof followed>, ReturnType<typeof followed>]
  for (const desk of desks) {
    await eventually(async () => new Set((await desk.connections()).map(c => c.peerId)).size === 3 || undefined, 20_000, 'everyone connected to everyone')
  }
  const before = await Promise.all(desks.map(ids))

  await ada.createWorkspace('Acme')
  // Everyone connected when the workspace was made is asked, and listed with the name it chose.
  for (const [desk, name] of [[bob, 'Bob'], [cyd, 'Cyd'], [dan, 'Dan']] as const) {
    const request = await requestOf(ada, desk)
    assert.equal(request.name, name)
    assert.equal(request.state, 'waiting')
    assert.equal(request.address, '127.0.0.1')
    const offer = await offerOf(desk, ada)
    assert.deepEqual([offer.admin, offer.workspace, offer.state], ['Ada', 'Acme', 'asked'])
  }
  for (const [sees, desk] of [[bobSees, bob], [cydSees, cyd], [danSees, dan]] as const) {
    await seen(adaSees, view => view.requests.find(r => r.peerId === desk.peerId && r.state === 'waiting'), `${desk.peerId.slice(-6)} wanting to join`)
    await seen(sees, view => view.offers.find(o => o.peerId === ada.peerId && o.state === 'asked'), 'Ada asking')
  }
  // Not in the workspace, not connected for messaging (the connection stays, refused every member protocol).
  assert.equal((await ada.peers()).find(p => p.peerId === bob.peerId)?.connected, false)
  // A desk cannot confirm before the admin clicked Admit.
  await assert.rejects(bob.confirmJoinOffer(ada.peerId), coded('ADMISSION_NO_REQUEST'))

  // Bob: the newcomer confirms first; a mistyped code on the admin's side is refused, not taken.
  const forBob = await ada.admitDesk(bob.peerId)
  assert.match(forBob.code!, /^[0-9]{6}$/)
  assert.equal((await offerOf(bob, ada)).code, forBob.code)
  await seen(bobSees, view => view.offers.find(o => o.code === forBob.code), 'the code on Bob\'s screen')
  await bob.confirmJoinOffer(ada.peerId, forBob.code)
  const wrong = forBob.code === '000000' ? '111111' : '000000'
  await assert.rejects(ada.confirmAdmission(bob.peerId, wrong), coded('ADMISSION_CODE_MISMATCH'))
  await ada.confirmAdmission(bob.peerId, forBob.code)
  await admitted(ada, bob)
  await seen(adaSees, view => view.requests.every(r => r.peerId !== bob.peerId) || undefined, 'Bob no longer waiting')
  await seen(bobSees, view => view.offers.length === 0 || undefined, 'no admin admitting Bob any more')
  await eventually(async () => (await ada.peers()).find(p => p.peerId === bob.peerId)?.connected === true || undefined, 20_000, 'Bob connected again for Ada, over the kept connection')

  // Cyd: the admin stops a first try (Cyd's page says so), then confirms first.
  await ada.admitDesk(cyd.peerId)
  assert.equal((await offerOf(cyd, ada)).state, 'comparing')
  await ada.declineAdmission(cyd.peerId)
  await eventually(async () => (await cyd.admission()).offers.find(o => o.peerId === ada.peerId && o.state === 'asked' && /Ada cancelled/.test(o.notice ?? '')), 20_000, 'Cyd told')
  await seen(cydSees, view => view.offers.find(o => /Ada cancelled/.test(o.notice ?? '')), 'Cyd told')
  const forCyd = await ada.admitDesk(cyd.peerId)
  await ada.confirmAdmission(cyd.peerId)
  assert.equal((await offerOf(cyd, ada)).code, forCyd.code)
  await cyd.confirmJoinOffer(ada.peerId)
  await admitted(ada, cyd)

  // Dan says the codes differ: nothing is admitted and the admin reads why; then a second try.
  await ada.admitDesk(dan.peerId)
  await dan.declineJoinOffer(ada.peerId)
  const declined = await eventually(async () => (await ada.admission()).requests.find(r => r.peerId === dan.peerId && r.notice !== undefined), 20_000, 'the decline')
  assert.equal(declined.state, 'waiting')
  assert.match(declined.notice!, /Dan said the codes did not match/)
  await seen(adaSees, view => view.requests.find(r => r.peerId === dan.peerId && /Dan said the codes did not match/.test(r.notice ?? '')), 'the decline')
  assert.equal(await dan.workspaceView(), null)
  const forDan = await ada.admitDesk(dan.peerId)
  assert.equal((await offerOf(dan, ada)).code, forDan.code)
  await dan.confirmJoinOffer(ada.peerId, forDan.code)
  await ada.confirmAdmission(dan.peerId, forDan.code)
  await admitted(ada, dan)

  const workspace = (await ada.workspaceView())!
  assert.deepEqual(workspace.members.map(m => m.name).sort(), ['Ada', 'Bob', 'Cyd', 'Dan'])
  assert.deepEqual((await ada.admission()).requests, [])
  for (const desk of desks) {
    await eventually(async () => (await desk.workspaceView())?.members.length === 4 || undefined, 20_000, 'every desk knows all four')
  }
  // Nobody was cut off: each connection open before the workspace is open still.
  for (const [i, desk] of desks.entries()) {
    const now = await ids(desk)
    for (const id of before[i]!) assert.ok(now.has(id), `${desk.peerId.slice(-6)}'s connection ${id} stayed open`)
  }
  // And the members talk over them: Bob writes to Dan.
  const sent = await bob.send(dan.peerId, 'hello Dan')
  await eventually(async () => (await dan.messages({ with: bob.peerId, limit: 50 })).find(m => m.id === sent.id), 20_000, 'Dan receives Bob\'s message')
})

test('a desk listed as wanting to join shows the name it chose since; once in by an invite code, both screens drop the admission', async (t) => {
  const ada = await testNode(t, { name: 'Ada' })
  await ada.createWorkspace('Acme')
  // The first start names a desk after the computer's account; its user types their own name after.
  const eve = await testNode(t, { name: 'eve', peers: [addressOf(ada)] })
  const [adaSees, eveSees] = [followed(ada), followed(eve)]
  await seen(adaSees, view => view.requests.find(r => r.peerId === eve.peerId && r.name === 'eve'), 'eve wanting to join')
  await seen(eveSees, view => view.offers.find(o => o.peerId === ada.peerId), 'Ada asking')

  await eve.setName('Eve Durand')
  await seen(adaSees, view => view.requests.find(r => r.peerId === eve.peerId && r.name === 'Eve Durand'), 'the name Eve chose, on the admin\'s screen')

  const invite = await ada.createInvite({ role: 'member', expiresMs: 3_600_000 })
  await eve.joinWorkspace(invite.code)
  await seen(eveSees, view => view.offers.length === 0 || undefined, 'no "ask Ada to admit you" left on Eve\'s screen')
  await seen(adaSees, view => view.requests.length === 0 || undefined, 'Eve no longer waiting on Ada\'s screen')
})
