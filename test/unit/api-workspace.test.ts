// The workspace routes of the local API against real nodes on loopback (mDNS off): what they answer,
// how workspace and membership refusals map to HTTP, and how the OpenAPI document describes them.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { createApiApp } from '../../core/api/app.js'
import { openApiDocument } from '../../core/api/openapi.js'
import { apiRoutes } from '../../core/api/routes.js'
import type { InviteList, InviteListItem, InvitePreview, InviteView, NodeStatus, WorkspaceView } from '../../core/api/schema.js'
import type { NodeApi } from '../../core/api/node-api.js'
import type { CausetteNode } from '../../core/node/node.js'
import { decodeInviteCode } from '../../core/workspace/invite-code.js'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'
import { FakeNode } from './api-fake-node.js'

const HOST = '127.0.0.1:7421'
const TOKEN = 'test-token'

type Request = (method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }>

function api (node: NodeApi): Request {
  const app = createApiApp({ node, token: TOKEN, port: 7421, uiDir: undefined })
  return async (method, path, body) => {
    const response = await app.request(`http://${HOST}/api/v1${path}`, {
      method,
      headers: { host: HOST, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    return { status: response.status, body: await response.json() }
  }
}

async function refused (request: Promise<{ status: number, body: any }>, status: number, code: string): Promise<string> {
  const { status: actual, body } = await request
  assert.deepEqual([actual, body.error?.code], [status, code], JSON.stringify(body))
  assert.equal(typeof body.error.message, 'string')
  return body.error.message as string
}

async function adminWithWorkspace (t: TestContext): Promise<{ node: CausetteNode, request: Request, workspace: WorkspaceView }> {
  const node = await testNode(t, { name: 'ada' })
  const request = api(node)
  const { status, body } = await request('POST', '/workspace', { name: 'Acme' })
  assert.equal(status, 201)
  return { node, request, workspace: body as WorkspaceView }
}

describe('API: workspace routes', () => {
  it('without a workspace: null, WORKSPACE_NONE for actions; then create makes this node the first admin, once', async (t) => {
    const node = await testNode(t, { name: 'ada' })
    const request = api(node)
    assert.deepEqual(await request('GET', '/workspace'), { status: 200, body: null })
    assert.equal((await request('GET', '/status')).body.workspace, null)
    await refused(request('POST', '/invites', {}), 409, 'WORKSPACE_NONE')
    await refused(request('POST', `/members/${node.peerId}/remove`, {}), 409, 'WORKSPACE_NONE')

    assert.match(await refused(request('POST', '/workspace', { name: '  ' }), 400, 'BAD_REQUEST'), /name/)
    assert.match(await refused(request('POST', '/workspace', { name: 'Acme', root: 'x' }), 400, 'BAD_REQUEST'), /root/)

    const created = await request('POST', '/workspace', { name: ' Acme ' })
    assert.equal(created.status, 201)
    const workspace = created.body as WorkspaceView
    assert.equal(workspace.name, 'Acme')
    assert.match(workspace.id, /^[\w-]{43}$/)
    assert.deepEqual(workspace.members, [{ peerId: node.peerId, name: 'ada', role: 'admin', self: true }])
    assert.deepEqual((await request('GET', '/workspace')).body, workspace)
    assert.deepEqual(((await request('GET', '/status')).body as NodeStatus).workspace, { id: workspace.id, name: 'Acme', role: 'admin' })
    await refused(request('POST', '/workspace', { name: 'Other' }), 409, 'WORKSPACE_EXISTS')
  })

  it('issues short invite codes, in a link, that carry this node\'s address; refuses a bad role or expiry', async (t) => {
    const { node, request } = await adminWithWorkspace(t)
    const before = Date.now()
    const { status, body } = await request('POST', '/invites', {})
    assert.equal(status, 201)
    const invite = body as InviteView
    assert.equal(invite.role, 'member')
    assert.ok(invite.expiresAt >= before + 24 * 3600_000 && invite.expiresAt <= Date.now() + 24 * 3600_000, 'default 24 h')
    assert.match(invite.code, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){7}$/)
    assert.equal(invite.link, `http://127.0.0.1:7421/#/join/${invite.code}`)
    const decoded = decodeInviteCode(invite.code)
    assert.ok(node.addresses().some(own => own.startsWith(decoded.address.toString())), 'the code carries our address')
    const port = decoded.address.toString().split('/')[4]
    const routed = (await request('POST', '/invites', { address: '10.9.8.7' })).body as InviteView
    assert.equal(decodeInviteCode(routed.code).address.toString(), `/ip4/10.9.8.7/tcp/${port}`, 'an address the admin chose, with our port')
    assert.equal(decodeInviteCode(((await request('POST', '/invites', { address: '10.9.8.7:17420' })).body as InviteView).code).address.toString(), '/ip4/10.9.8.7/tcp/17420')
    for (const address of ['10.9.8', 'desk-12.lan', '10.9.8.7:0', '10.9.8.7:65536', '::1']) await refused(request('POST', '/invites', { address }), 400, 'WORKSPACE_BAD_REQUEST')

    const admin = (await request('POST', '/invites', { role: 'admin', expiresMs: 60_000 })).body as InviteView
    assert.equal(admin.role, 'admin')
    assert.notEqual(admin.code, invite.code)
    await refused(request('POST', '/invites', { role: 'boss' }), 400, 'BAD_REQUEST')
    await refused(request('POST', '/invites', { expiresMs: 0 }), 400, 'BAD_REQUEST')
    assert.match(await refused(request('POST', '/invites', { expiresMs: 31 * 86_400_000 }), 400, 'WORKSPACE_BAD_REQUEST'), /30 days/)
  })

  it('changes a joined member\'s role and removes it; refuses unknown members, the last admin, and non-admins', async (t) => {
    const { node: ada, request } = await adminWithWorkspace(t)
    const code = ((await request('POST', '/invites', {})).body as InviteView).code
    const bob = await testNode(t, { name: 'bob', join: code, peers: [addressOf(ada)] })
    const asBob = api(bob)
    assert.equal(((await asBob('GET', '/workspace')).body as WorkspaceView).role, 'member')
    await refused(asBob('POST', '/invites', {}), 403, 'WORKSPACE_NOT_ADMIN')
    await refused(asBob('POST', `/members/${ada.peerId}/remove`, {}), 403, 'WORKSPACE_NOT_ADMIN')

    await refused(request('POST', '/members/12D3KooWNobody/remove', {}), 404, 'MEMBERSHIP_NOT_MEMBER')
    await refused(request('POST', `/members/${ada.peerId}/role`, { role: 'member' }), 409, 'MEMBERSHIP_LAST_ADMIN')
    await refused(request('POST', `/members/${bob.peerId}/role`, { role: 'owner' }), 400, 'BAD_REQUEST')

    const promoted = await request('POST', `/members/${bob.peerId}/role`, { role: 'admin' })
    assert.equal(promoted.status, 200)
    assert.deepEqual((promoted.body as WorkspaceView).members.map(m => [m.name, m.role, m.self]), [['ada', 'admin', true], ['bob', 'admin', false]])
    const demoted = await request('POST', `/members/${bob.peerId}/role`, { role: 'member' })
    assert.deepEqual((demoted.body as WorkspaceView).members.map(m => m.role), ['admin', 'member'])

    await waitForPeer(ada, bob.peerId)
    const removed = await request('POST', `/members/${bob.peerId}/remove`, { reason: 'left' })
    assert.equal(removed.status, 200)
    assert.deepEqual((removed.body as WorkspaceView).members.map(m => m.name), ['ada'])
    await refused(request('POST', `/members/${bob.peerId}/remove`, {}), 404, 'MEMBERSHIP_NOT_MEMBER')
    await refused(request('POST', `/members/${bob.peerId}/remove`, { reason: '' }), 400, 'BAD_REQUEST')
    // bob, connected to ada, hears of its removal before being cut off.
    await eventually(async () => ((await asBob('GET', '/status')).body as NodeStatus).workspace?.role === 'removed' || undefined, 20_000, 'bob to hear of its removal')
  })

  it('previews, lists and revokes invites: a revoked code is refused by its inviter, also when another admin revoked it and the log synced', async (t) => {
    const { node: ada, request, workspace } = await adminWithWorkspace(t)
    const carol = api(await testNode(t, { name: 'carol' }))
    const first = ((await request('POST', '/invites', {})).body as InviteView)
    // An outsider's node asks the inviter what the link invites to, before joining.
    const preview = (await carol('POST', '/workspace/join/preview', { code: first.link })).body as InvitePreview
    assert.deepEqual([preview.workspace, preview.inviter, preview.role], [{ id: workspace.id, name: 'Acme' }, { peerId: ada.peerId, name: 'ada' }, 'member'])
    assert.match(await refused(carol('POST', '/workspace/join/preview', { code: first.code.slice(0, -1) + (first.code.endsWith('0') ? '1' : '0') }), 400, 'INVITE_BAD_CODE'), /mistyped/)

    const bob = await testNode(t, { name: 'bob', join: first.code, peers: [addressOf(ada)] })
    const asBob = api(bob)
    await request('POST', `/members/${bob.peerId}/role`, { role: 'admin' })
    await eventually(async () => ((await asBob('GET', '/workspace')).body as WorkspaceView).role === 'admin' || undefined, 20_000, 'bob to be an admin')
    const bobs = (await asBob('POST', '/invites', {})).body as InviteView
    const adas = (await request('POST', '/invites', { role: 'admin' })).body as InviteView

    // ada revokes bob's invite by the start of its id; bob's node, which alone can admit with it, learns it by the log.
    await eventually(async () => ((await request('GET', '/invites')).body as InviteList).invites.some(i => i.id === bobs.id) || undefined, 20_000, 'ada to learn of bob\'s invite')
    const revoked = (await request('DELETE', `/invites/${bobs.id.slice(0, 8)}`)).body as InviteListItem
    assert.deepEqual([revoked.status, revoked.inviter.name, revoked.revokedBy?.name], ['revoked', 'bob', 'ada'])
    await eventually(async () => ((await asBob('GET', '/invites')).body as InviteList).invites.find(i => i.id === bobs.id)?.status === 'revoked' || undefined, 20_000, 'bob to learn of the revocation')
    assert.match(await refused(carol('POST', '/workspace/join/preview', { code: bobs.code }), 409, 'MEMBERSHIP_INVITE_REVOKED'), /revoked/)
    await refused(carol('POST', '/workspace/join', { code: bobs.code }), 409, 'MEMBERSHIP_INVITE_REVOKED')
    // ada's own, revoked on her node.
    await request('DELETE', `/invites/${adas.id}`)
    await refused(carol('POST', '/workspace/join', { code: adas.code }), 409, 'MEMBERSHIP_INVITE_REVOKED')

    const { invites } = (await request('GET', '/invites')).body as InviteList
    assert.deepEqual(invites.map(i => [i.id, i.role, i.inviter.name, i.status, i.usedBy?.name ?? i.revokedBy?.name]), [
      [adas.id, 'admin', 'ada', 'revoked', 'ada'], [bobs.id, 'member', 'bob', 'revoked', 'ada'], [first.id, 'member', 'ada', 'used', 'bob']
    ])
    assert.ok(invites.every(i => i.issuedAt <= Date.now() && i.expiresAt > i.issuedAt))
    await refused(request('DELETE', `/invites/${first.id}`), 409, 'MEMBERSHIP_INVITE_USED')
    await refused(request('DELETE', '/invites/nothing-like-it'), 409, 'MEMBERSHIP_UNKNOWN_INVITE')
    await refused(api(await testNode(t, { name: 'dave', join: (await request('POST', '/invites', {})).body.code, peers: [addressOf(ada)] }))('GET', '/invites'), 403, 'WORKSPACE_NOT_ADMIN')
  })

  it('tells a member removed while it was away as soon as it comes back: it shows removed and connects to no one', async (t) => {
    const { node: ada, request } = await adminWithWorkspace(t)
    const code = ((await request('POST', '/invites', {})).body as InviteView).code
    const home = await tempHome(t)
    const bob = await testNode(t, { name: 'bob', home, join: code, peers: [addressOf(ada)] })
    await waitForPeer(ada, bob.peerId)
    await bob.stop()
    assert.equal((await request('POST', `/members/${bob.peerId}/remove`, {})).status, 200)

    const back = await testNode(t, { name: 'bob', home, peers: [addressOf(ada)] })
    const asBob = api(back)
    await eventually(async () => ((await asBob('GET', '/status')).body as NodeStatus).workspace?.role === 'removed' || undefined, 20_000, 'bob to hear of his removal')
    await eventually(async () => (await back.peers()).every(p => !p.connected) || undefined, 20_000, 'bob alone')
  })

  it('answers a WorkspaceError in the same JSON shape as any coded error (the fake node)', async () => {
    const node = new FakeNode()
    const request = api(node)
    await refused(request('POST', '/invites', { role: 'member' }), 409, 'WORKSPACE_NONE')
    assert.equal((await request('POST', '/workspace', { name: 'Fake' })).status, 201)
    assert.deepEqual((await request('GET', '/status')).body.workspace, { id: 'fake-workspace', name: 'Fake', role: 'admin' })
    await refused(request('POST', '/members/nobody/role', { role: 'admin' }), 404, 'MEMBERSHIP_NOT_MEMBER')
  })

  it('documents the routes, their path parameter and schemas in the OpenAPI document', () => {
    const { paths, components } = openApiDocument(apiRoutes) as { paths: Record<string, any>, components: { schemas: Record<string, unknown> } }
    for (const path of ['/workspace', '/invites', '/members/{peerId}/remove', '/members/{peerId}/role']) assert.ok(paths[path], path)
    assert.deepEqual(paths['/members/{peerId}/remove'].post.parameters, [{ name: 'peerId', in: 'path', required: true, schema: { type: 'string' } }])
    assert.deepEqual(paths['/invites'].post.responses['201'].content['application/json'].schema, { $ref: '#/components/schemas/Invite' })
    for (const id of ['Workspace', 'WorkspaceMember', 'WorkspaceSummary', 'InviteRequest', 'Role']) assert.ok(components.schemas[id], id)
  })
})
