// A bare libp2p peer with the workspace wired the way the node will wire it (WorkspaceService): the
// membership log in a memory-level database, the gater (members, plus our own invitees), the join
// and members protocols, the replicator. One line per peer; it stops itself when the test ends.
import assert from 'node:assert/strict'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux, type YamuxMuxerInit } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { AbstractSublevel } from 'abstract-level'
import { MemoryLevel } from 'memory-level'
import type { TestContext } from 'node:test'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { equals } from '../../crypto/encoding.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { randomBytes } from '../../crypto/random.js'
import type { HandlerLimit } from '../../core/protocol/stream-limiter.js'
import type { Membership } from '../../core/workspace/membership.js'
import { WorkspaceService } from '../../core/workspace/service.js'
import type { LocalDevice, Workspace } from '../../core/workspace/workspace.js'
import { underLoad } from '../helpers/deadline.js'

export interface Refusal { peer: string, code: string, message: string }

export interface WorkspacePeer {
  name: string
  peerId: string
  service: WorkspaceService
  libp2p: Libp2p
  membership: Membership
  /** The membership sublevel, to read back what the node stored (as a restart would). */
  db: AbstractSublevel<any, any, any, any>
  workspace: Workspace
  device: LocalDevice
  refusals: Refusal[]
  /** The clock the workspace uses: move it to expire invites. */
  clock: { now: number }
  join: (code: string) => Promise<unknown>
  connect: (other: WorkspacePeer) => Promise<unknown>
  connectedTo: (other: { peerId: string }) => boolean
  /** PeerIds whose connection this node opened (past the gater). */
  opened: Set<string>
}

/** A libp2p node with no causette protocol and no gater: a stranger on the LAN. `muxer`: its yamux settings (a stream's window). */
export async function bareNode (t: TestContext, seed = randomBytes(32), muxer: YamuxMuxerInit = {}): Promise<Libp2p> {
  const libp2p = await createLibp2p({
    privateKey: await generateKeyPairFromSeed('Ed25519', seed),
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux(muxer)]
  })
  t.after(async () => { await libp2p.stop() })
  return libp2p
}

export interface WorkspacePeerOptions {
  /** Wraps each protocol handler, as the node's per-peer limits do (a test may slow a handler down). */
  limit?: HandlerLimit
}

export async function workspacePeer (t: TestContext, name: string, options: WorkspacePeerOptions = {}): Promise<WorkspacePeer> {
  const seed = randomBytes(32)
  const publicKey = ed25519FromSeed(seed).publicKey
  const device: LocalDevice = { publicKey, sign: ed25519Signer(seed), identityKey: randomBytes(32), prekeyId: 1, prekey: randomBytes(32), name }
  const db = new MemoryLevel()
  const clock = { now: Date.now() }
  const refusals: Refusal[] = []
  const membershipDb = db.sublevel('membership')
  const service = await WorkspaceService.open({
    db: membershipDb,
    device,
    now: () => clock.now,
    refused: (peer, code, message) => { refusals.push({ peer, code, message }) }
  })
  const libp2p = await createLibp2p({
    privateKey: await generateKeyPairFromSeed('Ed25519', seed),
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: service.gater(),
    connectionManager: { inboundConnectionThreshold: 100 }
  })
  service.useAddresses(() => libp2p.getMultiaddrs())
  const opened = new Set<string>()
  libp2p.addEventListener('connection:open', event => { opened.add(event.detail.remotePeer.toString()) })
  await service.start(libp2p, options.limit)
  t.after(async () => {
    await service.stop()
    await libp2p.stop()
    await db.close()
  })
  return {
    name,
    service,
    peerId: ed25519PeerId(publicKey),
    libp2p,
    membership: service.membership,
    db: membershipDb,
    workspace: service.workspace,
    device,
    refusals,
    clock,
    opened,
    join: async (code) => await service.join(code),
    connect: async (other) => await libp2p.dial(other.libp2p.getMultiaddrs()[0]!),
    connectedTo: (other) => libp2p.getConnections().some(c => c.remotePeer.toString() === other.peerId && c.status === 'open')
  }
}

/**
 * Polls `check` until it returns something other than undefined (test/helpers/nodes.ts has the same,
 * but importing it loads the whole node; these tests load the workspace library alone).
 */
export async function until<T> (check: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  // ms is what the wait takes on a quiet machine (see underLoad).
  for (const deadline = Date.now() + underLoad(ms); ; await new Promise(resolve => setTimeout(resolve, 25))) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${underLoad(ms)} ms waiting for ${what}`)
  }
}

/**
 * Dials `target`, whose gater must refuse: its node never opens the connection. (With Noise's early
 * muxer negotiation the dialer may see it open for a moment, until the target closes it.)
 */
export async function refusedAtTheDoor (dialer: Libp2p, target: WorkspacePeer): Promise<void> {
  target.opened.delete(dialer.peerId.toString())
  const connection = await dialer.dial(target.libp2p.getMultiaddrs()[0]!).catch(() => undefined)
  if (connection !== undefined) await until(() => connection.status !== 'open' || undefined, 'connection closed by the gater')
  assert.equal(target.opened.has(dialer.peerId.toString()), false)
  assert.equal(target.connectedTo({ peerId: dialer.peerId.toString() }), false)
}

export const sameHead = (a: WorkspacePeer, b: WorkspacePeer): boolean => equals(a.membership.log!.head, b.membership.log!.head)

/** An admin that created workspace Acme, and one member per name, each joined with its own code (not connected). */
export async function workspaceOf (t: TestContext, ...names: string[]): Promise<WorkspacePeer[]> {
  const admin = await workspacePeer(t, 'admin')
  await admin.workspace.create('Acme')
  const peers = [admin]
  for (const name of names) {
    const peer = await workspacePeer(t, name)
    await peer.join((await admin.workspace.createInvite()).code)
    peers.push(peer)
  }
  return peers
}
