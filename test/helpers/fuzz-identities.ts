// Fuzz peers one after another. A node's abuse limits cut off a peer that keeps earning refusals
// (core/protocol/peer-limits.ts), which is the right answer to a fuzzer: when that happens the next
// cases come from a fresh identity, admitted to the node's workspace first when it has one.
import type { Connection } from '@libp2p/interface'
import type { TestContext } from 'node:test'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { signJoinRequest, type JoinProof } from '../../crypto/membership-log.js'
import { randomBytes } from '../../crypto/random.js'
import type { CausetteNode } from '../../core/node/node.js'
import { requestJoin } from '../../core/protocol/workspace-join.js'
import { decodeInviteCode } from '../../core/workspace/invite-code.js'
import { fuzzPeer } from './fuzz-peer.js'
import { eventually } from './nodes.js'

export type FuzzPeer = Awaited<ReturnType<typeof fuzzPeer>>

/** A connection to `node`, retried while the node's per-host connection rate refuses it. */
export async function connectTo (peer: FuzzPeer, node: CausetteNode): Promise<Connection> {
  return await eventually(async () => await peer.connect(node).catch(() => undefined), 60_000, 'a connection to the node')
}

/**
 * Admits `peer` to `node`'s workspace as an invitee would: a connection made with the invite key,
 * then a join request signed by the peer's device key and the invite key. Returns that connection
 * (it may go on to the join protocol alone) and the request, to replay.
 */
export async function admit (t: TestContext, node: CausetteNode, peer: FuzzPeer): Promise<{ inviteeConnection: Connection, proof: JoinProof }> {
  const code = decodeInviteCode((await node.createInvite({ role: 'member', expiresMs: 3_600_000 })).code)
  const invitee = await fuzzPeer(t, code.secret)
  const inviteeConnection = await connectTo(invitee, node)
  const proof = signJoinRequest(peer.sign, ed25519Signer(code.secret), {
    root: node.workspace.membership.requireLog().root,
    invite: ed25519FromSeed(code.secret).publicKey,
    device: peer.publicKey,
    identityKey: randomBytes(32),
    prekeyId: 1,
    prekey: randomBytes(32),
    name: 'fuzzer',
    time: Date.now()
  })
  await requestJoin(inviteeConnection, proof)
  return { inviteeConnection, proof }
}

/** The current fuzz identity's connection, or a fresh identity's once the node has closed the last one. */
export class FuzzIdentities {
  #connection: Connection | undefined
  #lost = false
  /** Identities whose connection the node closed (cut off by its abuse limits, or reset). */
  cutOff = 0

  constructor (private readonly make: () => Promise<Connection>) {}

  async connection (): Promise<Connection> {
    if (this.#connection !== undefined && this.#connection.status === 'open' && !this.#lost) return this.#connection
    if (this.#connection !== undefined) this.cutOff++
    this.#lost = false
    this.#connection = await this.make()
    return this.#connection
  }

  /** The connection refused a new stream: its muxer may be closed while its status still says open. */
  lost (): void {
    this.#lost = true
  }
}
