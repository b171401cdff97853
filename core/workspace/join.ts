// Joining with an invite code (invitee side). A temporary libp2p host whose identity is the invite
// key (the code's secret is its seed) dials the inviting node's addresses: the admin's gater lets that
// PeerId in, and Noise proves both ends (we hold the secret; the admin is the PeerId in the code).
// We send our join request signed by our device key and by the invite key, receive the whole log,
// check it against the pinned root key and that it admits us with our own keys, and store it.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import type { Connection } from '@libp2p/interface'
import { createLibp2p } from 'libp2p'
import { equals } from '../../crypto/encoding.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { MembershipLog, signJoinRequest } from '../../crypto/membership-log.js'
import { requestJoin } from '../protocol/workspace-join.js'
import { JOIN_TIMEOUT_MS } from '../protocol/workspace-limits.js'
import { isWorkspaceError, WorkspaceError } from './errors.js'
import { decodeInviteCode, dialAddresses } from './invite-code.js'
import { nodeMembershipPrimitives, type Membership, type WorkspaceInfo } from './membership.js'
import type { LocalDevice } from './workspace.js'

export interface JoinOptions {
  code: string
  device: LocalDevice
  membership: Membership
  now?: () => number
}

export async function joinWorkspace (options: JoinOptions): Promise<WorkspaceInfo> {
  const code = decodeInviteCode(options.code)
  if (options.membership.log !== undefined) throw new WorkspaceError('WORKSPACE_EXISTS', 'this node already belongs to a workspace')
  const d = options.device
  const invite = { publicKey: ed25519FromSeed(code.secret).publicKey, sign: ed25519Signer(code.secret) }
  const proof = signJoinRequest(d.sign, invite.sign, {
    root: code.root, invite: invite.publicKey, device: d.publicKey, identityKey: d.identityKey, prekeyId: d.prekeyId, prekey: d.prekey, name: d.name, time: (options.now ?? Date.now)()
  })
  const host = await createLibp2p({
    privateKey: await generateKeyPairFromSeed('Ed25519', code.secret),
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { dialTimeout: JOIN_TIMEOUT_MS }
  })
  try {
    let connection: Connection
    try {
      // All addresses at once: libp2p keeps the first that answers.
      connection = await host.dial(dialAddresses(code), { signal: AbortSignal.timeout(JOIN_TIMEOUT_MS) })
    } catch (error) {
      throw new WorkspaceError('JOIN_UNREACHABLE', `could not reach the inviting node (is it running, and reachable from this network?): ${(error as Error).message}`, { cause: error })
    }
    const entries = await requestJoin(connection, proof).catch(error => {
      throw isWorkspaceError(error) ? error : new WorkspaceError('JOIN_REFUSED', `the inviting node did not complete the join: ${(error as Error).message}`, { cause: error })
    })
    let log: MembershipLog
    try {
      log = MembershipLog.verify(nodeMembershipPrimitives, entries, code.root)
    } catch (error) {
      throw new WorkspaceError('JOIN_REFUSED', `the log received does not verify: ${(error as Error).message}`, { cause: error })
    }
    const me = log.member(d.publicKey)
    if (me === undefined || !equals(me.identityKey, d.identityKey) || !equals(me.prekey, d.prekey)) {
      throw new WorkspaceError('JOIN_REFUSED', 'the log received does not admit this device with its own keys')
    }
    await options.membership.adopt(entries, code.root)
    return options.membership.workspace!
  } finally {
    await host.stop()
  }
}
