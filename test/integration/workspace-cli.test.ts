// Workspaces through the real `causette` command, as a new user would: real daemons on loopback
// (mDNS off), an admin creates a workspace and invites, a second daemon starts with --join and is
// admitted, they exchange messages; a code works once, an expired one is refused; the removed member
// is cut off: its connection is refused and nothing it sends or is sent arrives.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it, type TestContext } from 'node:test'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { InviteView, MessageView, PeerView, WorkspaceSummary, WorkspaceView } from '../../core/api/schema.js'
import { apiClient } from '../../core/cli/client.js'
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'
import { cliArgs } from '../helpers/built-cli.js'
import { eventually, tempHome } from '../helpers/nodes.js'

const WAIT_MS = 30_000

interface Result { code: number, stdout: string, stderr: string }

async function causette (...args: string[]): Promise<Result> {
  return await new Promise(resolve => {
    execFile(process.execPath, [...cliArgs(), ...args], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr })
    })
  })
}

interface Daemon { name: string, home: string, peerId: string, addresses: string[], workspace: WorkspaceSummary | null, cli: <T>(...args: string[]) => Promise<T> }

const startArgs = (home: string, name: string): string[] =>
  ['start', '--home', home, '--name', name, '--port', '0', '--api-port', '0', '--listen', '127.0.0.1', '--no-mdns']

/** `causette start --json` in the background; resolves once it printed where it runs. */
async function startDaemon (t: TestContext, name: string, extra: string[] = []): Promise<Daemon> {
  const home = await tempHome(t, `causette-ws-${name}-`)
  const child = spawn(process.execPath, [...cliArgs(), ...startArgs(home, name), '--json', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    await once(child, 'exit')
  })
  const [line] = await once(createInterface({ input: child.stdout! }), 'line') as [string]
  const started = JSON.parse(line) as { peerId: string, addresses: string[], workspace: WorkspaceSummary | null }
  const cli = async <T>(...args: string[]): Promise<T> => {
    const result = await causette(...args, '--home', home, '--json')
    assert.equal(result.code, 0, `causette ${args.join(' ')}: ${result.stderr}`)
    return JSON.parse(result.stdout) as T
  }
  return { name, home, ...started, cli }
}

async function connected (daemon: Daemon, other: Daemon): Promise<boolean> {
  return (await daemon.cli<PeerView[]>('peers')).some(peer => peer.peerId === other.peerId && peer.connected)
}

async function delivered (from: Daemon, to: Daemon, text: string): Promise<void> {
  const sent = await from.cli<MessageView>('send', to.peerId, text)
  const received = await eventually(async () =>
    (await to.cli<MessageView[]>('messages', '--with', from.peerId)).find(m => m.id === sent.id), WAIT_MS, `${to.name} to receive "${text}"`)
  assert.equal(received.text, text)
  assert.equal(received.verified, true)
}

/** A bare libp2p host with `home`'s device key dials `address`: the way a removed device would come back. */
async function dialAs (home: string, address: string): Promise<void> {
  const { keys, created } = await loadOrCreateDeviceKeys(home)
  assert.equal(created, false)
  const host = await createLibp2p({
    privateKey: await generateKeyPairFromSeed('Ed25519', keys.device.seed),
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  try {
    // Refused after the handshake: the dial fails, or opens on our side until the other end closes it.
    const connection = await host.dial(multiaddr(address), { signal: AbortSignal.timeout(WAIT_MS) }).catch((error: Error) => {
      // Not a refusal by the gater: nobody listening, or no answer at all.
      assert.doesNotMatch(`${error.name} ${error.message}`, /ECONNREFUSED|Timeout|Abort/)
      return undefined
    })
    if (connection !== undefined) await eventually(() => connection.status !== 'open' || undefined, WAIT_MS, 'the refused connection to close')
  } finally {
    await host.stop()
  }
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')

describe('causette workspace, invite, start --join and remove', () => {
  it('admits an invitee once, lets members talk, refuses used and expired codes, and cuts off a removed member', async (t) => {
    const ada = await startDaemon(t, 'ada')
    assert.equal(ada.workspace, null)
    assert.equal(await ada.cli<WorkspaceView | null>('workspace'), null)

    const created = await ada.cli<WorkspaceView>('workspace', 'create', 'Acme', 'Ltd')
    assert.equal(created.name, 'Acme Ltd')
    assert.equal(created.role, 'admin')
    assert.deepEqual(created.members, [{ peerId: ada.peerId, name: 'ada', role: 'admin', self: true }])

    const before = Date.now()
    const invite = await ada.cli<InviteView>('invite', '--expires', '2h')
    assert.match(invite.code, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){7}$/)
    assert.equal(invite.role, 'member')
    assert.ok(invite.expiresAt >= before + 2 * 3600_000 && invite.expiresAt <= Date.now() + 2 * 3600_000)
    const human = await causette('invite', '--home', ada.home)
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stdout, /single use/)
    assert.match(human.stdout, /^ {2}causette workspace join [0-9A-Z-]{47}$/m)
    assert.match(human.stdout, /^ {2}causette start --join [0-9A-Z-]{47}$/m)
    assert.match(human.stdout, /^ {2}http:\/\/127\.0\.0\.1:7421\/#\/join\/[0-9A-Z-]{47}$/m)

    const bob = await startDaemon(t, 'bob', ['--join', invite.code])
    assert.deepEqual(bob.workspace, { id: created.id, name: 'Acme Ltd', role: 'member' })
    await eventually(async () => (await connected(ada, bob) && await connected(bob, ada)) || undefined, WAIT_MS, 'ada and bob to connect')
    const members = await ada.cli<WorkspaceView>('workspace')
    assert.deepEqual(members.members.map(m => [m.name, m.role]), [['ada', 'admin'], ['bob', 'member']])
    const table = await causette('workspace', '--home', bob.home)
    assert.match(table.stdout, /^bob \(you\)\s+member\s+12D3KooW\w+$/m)

    await delivered(ada, bob, 'welcome, bob')
    await delivered(bob, ada, 'thanks, ada')

    // A new display name, from the command line: the admin's workspace lists it.
    assert.deepEqual(await bob.cli('name', 'Bob', 'Martin'), { name: 'Bob Martin' })
    await eventually(async () => (await ada.cli<WorkspaceView>('workspace')).members.some(m => m.peerId === bob.peerId && m.name === 'Bob Martin') || undefined, WAIT_MS, 'the new name at ada\'s')
    assert.equal((await causette('name', '--home', bob.home)).code, 2, 'a name is needed')
    await bob.cli('name', 'bob')
    await eventually(async () => (await ada.cli<WorkspaceView>('workspace')).members.some(m => m.peerId === bob.peerId && m.name === 'bob') || undefined, WAIT_MS, 'bob again at ada\'s')

    // A desk whose causette runs already (a double-click started it): `start --join` cannot open its
    // profile and says what to run instead; `workspace join` joins through the running node.
    const cyd = await startDaemon(t, 'cyd')
    const cydInvite = await ada.cli<InviteView>('invite')
    const locked = await causette(...startArgs(cyd.home, 'cyd'), '--join', cydInvite.code)
    assert.equal(locked.code, 1)
    assert.match(locked.stderr, /causette is running already on .*causette workspace join <code>.*causette stop/)
    const cydJoined = await cyd.cli<WorkspaceView>('workspace', 'join', cydInvite.link)
    assert.deepEqual([cydJoined.id, cydJoined.role], [created.id, 'member'])
    assert.equal((await causette('stop', '--home', cyd.home)).code, 0, 'cyd leaves: what follows is between ada and bob')

    // The same code again, from another device: refused, with a reason and a non-zero exit.
    const again = await causette(...startArgs(await tempHome(t), 'eve'), '--join', invite.code)
    assert.equal(again.code, 1)
    assert.match(again.stderr, /already used/)

    // An expired code (the CLI's shortest expiry is a minute; the API takes milliseconds).
    const expired = await (await apiClient(ada.home)).json<InviteView>('POST', '/api/v1/invites', { expiresMs: 1 })
    await eventually(() => Date.now() > expired.expiresAt || undefined, WAIT_MS, 'the code to expire')
    const late = await causette(...startArgs(await tempHome(t), 'eve'), '--join', expired.code)
    assert.equal(late.code, 1)
    assert.match(late.stderr, /expired/)

    // Only an admin invites or removes; bad options are usage errors.
    const notAdmin = await causette('invite', '--home', bob.home)
    assert.equal(notAdmin.code, 1)
    assert.match(notAdmin.stderr, /only an admin/)
    assert.equal((await causette('invite', '--home', ada.home, '--role', 'boss')).code, 2)
    assert.equal((await causette('invite', '--home', ada.home, '--expires', '3 weeks')).code, 2)
    assert.equal((await causette(...startArgs(await tempHome(t), 'eve'), '--join', 'AAAAA-BBBBB')).code, 2)

    // The invites listed, and one revoked: the code is then refused.
    const open = await ada.cli<InviteView>('invite')
    const revoking = await causette('invite', 'revoke', '--home', ada.home, open.id.slice(0, 8))
    assert.equal(revoking.code, 0, revoking.stderr)
    const listed = await causette('invite', 'list', '--home', ada.home)
    assert.match(listed.stdout, new RegExp(`^${escape(open.id.slice(0, 8))}  member  by ada, .* revoked by ada$`, 'm'))
    assert.match(listed.stdout, new RegExp(`^${escape(invite.id.slice(0, 8))}  member  by ada, .* used by bob$`, 'm'))
    const revoked = await causette(...startArgs(await tempHome(t), 'eve'), '--join', open.code)
    assert.equal(revoked.code, 1)
    assert.match(revoked.stderr, /revoked/)
    assert.equal((await causette('invite', 'revoke', '--home', ada.home, open.id.slice(0, 8))).code, 1)
    assert.equal((await causette('remove', '--home', ada.home, 'nobody')).code, 1)
    assert.equal((await causette('role', '--home', ada.home, 'bob', 'boss')).code, 2)
    const promoted = await ada.cli<WorkspaceView>('role', 'BOB', 'admin')
    assert.deepEqual(promoted.members.map(m => m.role), ['admin', 'admin', 'member'])
    const demoted = await causette('role', '--home', ada.home, bob.peerId, 'member')
    assert.match(demoted.stdout, /^bob \(12D3KooW\w+\) is now a member$/m)

    const after = await ada.cli<WorkspaceView>('remove', 'bob', '--reason', 'left the company')
    assert.deepEqual(after.members.map(m => m.name), ['ada', 'cyd'])
    await eventually(async () => (!await connected(ada, bob) && !await connected(bob, ada)) || undefined, WAIT_MS, 'ada and bob to be disconnected')
    assert.equal((await bob.cli<WorkspaceView>('workspace')).role, 'removed', 'bob heard of its removal')

    // bob's device key is refused at ada's door.
    await dialAs(bob.home, ada.addresses[0]!)

    // Nothing passes either way: both messages stay queued while bob keeps redialling.
    const fromBob = await bob.cli<MessageView>('send', ada.peerId, 'are you there?')
    const toBob = await ada.cli<MessageView>('send', bob.peerId, 'goodbye')
    for (let check = 0; check < 10; check++) {
      await sleep(500)
      assert.equal((await bob.cli<MessageView[]>('messages', '--with', ada.peerId)).find(m => m.id === fromBob.id)?.state, 'queued')
      assert.equal((await ada.cli<MessageView[]>('messages', '--with', bob.peerId)).find(m => m.id === toBob.id)?.state, 'queued')
      assert.equal(await connected(ada, bob), false)
    }
    assert.equal((await ada.cli<MessageView[]>('messages', '--with', bob.peerId)).some(m => m.id === fromBob.id), false)
  })
})
