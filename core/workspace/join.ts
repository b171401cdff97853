// Joining with an invite code (invitee side). A temporary libp2p host whose identity is the invite
// key (its seed is derived from the code's token) dials the inviting node's address: the admin's
// gater lets that PeerId in. The code names no key, so Noise tells us who answered; the admin then
// shows the log up to the invite's entry and its proof that it knows the token, bound to that log's
// root key and to its own key (invite-proof.ts). We check both, then send our join request signed by
// our device key and by the invite key, receive the whole log, check that it extends what we were
// shown and admits us with our own keys, and store it. `previewInvite` stops after the check. Both
// try again for a while when the inviting node holds back the connection or stops answering, and
// fail at once, saying why, when it never accepted one (join-reach.ts). Either stops when `signal`
// aborts (the app's Cancel, or the CLI's caller gone).
import { setTimeout as sleep } from 'node:timers/promises'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import type { Connection } from '@libp2p/interface'
import { createLibp2p, type Libp2p } from 'libp2p'
import { equals } from '../../crypto/encoding.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { parseEntry, type Role } from '../../crypto/membership-entry.js'
import { MembershipLog, signJoinRequest, type Member, type SignedEntry } from '../../crypto/membership-log.js'
import { requestInvitation, type Invitation } from '../protocol/workspace-invite.js'
import { requestJoin } from '../protocol/workspace-join.js'
import { JOIN_TIMEOUT_MS } from '../protocol/workspace-limits.js'
import { isWorkspaceError, workspaceCodeOf, WorkspaceError } from '../errors.js'
import { decodeInviteCode, inviteHostPort, type InviteCode } from './invite-code.js'
import { acceptedBy, answeredByAnotherProgram, unreachedBecause } from './join-reach.js'
import { proofMatches } from './invite-proof.js'
import { nodeMembershipPrimitives, type Membership, type WorkspaceInfo } from './membership.js'
import type { LocalDevice } from './workspace.js'

export interface JoinOptions {
  code: string
  device: LocalDevice
  membership: Membership
  now?: () => number
  /** Aborted: stop trying (the joiner cancelled); nothing is stored. */
  signal?: AbortSignal
  /** Called once, when the inviting computer first accepts a connection of this join: it is there, the wait is for its answer. */
  accepted?: () => void
}

/** What an invite code invites to, as the inviting admin showed and proved it. */
export interface InvitePreview {
  workspace: WorkspaceInfo
  inviter: Member
  role: Role
  expires: number
}

/** The invitation, checked: the log up to the invite, the invite key, who made it. */
interface Checked extends InvitePreview {
  log: MembershipLog
  inviteKey: Uint8Array
}

function refused (why: string, cause?: unknown): never {
  throw new WorkspaceError('JOIN_REFUSED', why, cause === undefined ? {} : { cause })
}

/** Whether the inviting computer accepted a connection of this join yet: from then on it is there, perhaps only busy. */
interface Reach {
  answered: boolean
  /** Told once, as `answered` becomes true (the app then says it is connected and waiting for the answer). */
  onAnswered?: (() => void) | undefined
}

function answeredNow (reach: Reach): void {
  if (reach.answered) return
  reach.answered = true
  reach.onAnswered?.()
}

/** Connects with the invite key to the code's address, runs `use`, and stops the temporary host. */
async function withInviter<T> (code: InviteCode, reach: Reach, signal: AbortSignal | undefined, use: (connection: Connection) => Promise<T>): Promise<T> {
  const host = await createLibp2p({
    privateKey: await generateKeyPairFromSeed('Ed25519', code.secret),
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // libp2p gives each address 6 s of the dial's time: the one address of a code gets all of it.
    connectionManager: { dialTimeout: JOIN_TIMEOUT_MS, addressDialTimeout: JOIN_TIMEOUT_MS }
  })
  // A cancel mid-exchange cuts the connection: the request under way fails, and patiently stops.
  const cancel = (): void => { for (const connection of host.getConnections()) connection.abort(new Error('the joiner cancelled')) }
  signal?.addEventListener('abort', cancel, { once: true })
  try {
    let connection: Connection
    try {
      const timeout = AbortSignal.timeout(JOIN_TIMEOUT_MS)
      connection = await host.dial(code.address, {
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
        onProgress: event => { if (acceptedBy(event)) answeredNow(reach) }
      })
    } catch (error) {
      signal?.throwIfAborted()
      throw dialFailure(code, error, reach.answered)
    }
    return await use(connection)
  } finally {
    signal?.removeEventListener('abort', cancel)
    await stopHost(host)
  }
}

/** What the joiner is told of a failed dial: why, when the inviting computer never accepted a connection; else it may be busy (tried again). */
function dialFailure (code: InviteCode, error: unknown, answered: boolean): WorkspaceError {
  const where = inviteHostPort(code.address)
  const why = (error as Error).message
  const options = { cause: error }
  switch (unreachedBecause(error, answered)) {
    case 'JOIN_NOT_RUNNING': return new WorkspaceError('JOIN_NOT_RUNNING', `the computer at ${where} refused the connection: causette is not running there, or not on that port (${why})`, options)
    case 'JOIN_NO_ROUTE': return new WorkspaceError('JOIN_NO_ROUTE', `this computer has no route to ${where}, the address in the invite code: it is on another network (${why})`, options)
    case 'JOIN_NO_ANSWER': return new WorkspaceError('JOIN_NO_ANSWER', `nothing answered at ${where}, the address in the invite code (${answerless(error)})`, options)
    default: return new WorkspaceError('JOIN_UNREACHABLE', `the inviting computer at ${where} accepted the connection but did not complete it: ${why}`, options)
  }
}

/** A dial that ran out of time says only that it was aborted: say how long nothing answered instead. */
function answerless (error: unknown): string {
  const name = (error as Error).name
  return name === 'AbortError' || name === 'TimeoutError' ? `no answer in ${JOIN_TIMEOUT_MS / 1000} s` : (error as Error).message
}

/** How long the temporary host may take to close its connection politely before it is cut. */
const STOP_GRACE_MS = 2_000

/**
 * Stops the temporary host. Its stop waits for the connection to close, which never happens once the
 * inviting node dropped it mid-exchange (its limits while it admits a whole office); with nothing
 * else to keep the process alive, a `causette start --join` then exited with code 13 (an unsettled
 * top-level await), no message, no retry. So the wait is a timer of its own, then the connections
 * are cut.
 */
export async function stopHost (host: Pick<Libp2p, 'stop' | 'getConnections'>): Promise<void> {
  const cut = setTimeout(() => {
    for (const connection of host.getConnections()) connection.abort(new Error('the join is over'))
  }, STOP_GRACE_MS)
  try {
    await host.stop()
  } finally {
    clearTimeout(cut)
  }
}

/**
 * The admin's coded refusals (and an undecodable frame) pass as they are; a program that does not
 * speak causette's protocols is not causette; a stream that ended, was reset or ran out of time before
 * its answer means the inviting node stopped answering.
 */
async function ask<T> (code: InviteCode, what: Promise<T>): Promise<T> {
  return await what.catch(error => {
    if (isWorkspaceError(error)) throw error
    const why = (error as Error).message
    if (answeredByAnotherProgram(error)) {
      throw new WorkspaceError('JOIN_NOT_RUNNING', `the computer at ${inviteHostPort(code.address)} answered with another program: causette is not running there, or not on that port (${why})`, { cause: error })
    }
    throw new WorkspaceError('JOIN_UNREACHABLE', `the inviting node stopped answering: ${why}`, { cause: error })
  })
}

/**
 * How long joining keeps trying while the inviting node, having accepted the connection, holds it
 * back or stops answering: it may be admitting a whole office at once (it refuses a burst of new
 * connections from one address, and its admissions take turns), on a computer busy with other work
 * too: 30 s were not enough for the last of nineteen desks joining at once on a loaded machine.
 * Trying again is safe: an admission is idempotent, a device whose answer was lost on the way gets
 * the same log back. A computer that never accepted a connection is not waited for (join-reach.ts).
 */
export const JOIN_PATIENCE_MS = 120_000
const RETRY_FIRST_MS = 250
const RETRY_MAX_MS = 2_000

async function patiently<T> (signal: AbortSignal | undefined, accepted: (() => void) | undefined, attempt: (reach: Reach) => Promise<T>): Promise<T> {
  const reach: Reach = { answered: false, onAnswered: accepted }
  const deadline = Date.now() + JOIN_PATIENCE_MS
  for (let wait = RETRY_FIRST_MS; ; wait = Math.min(2 * wait, RETRY_MAX_MS)) {
    try {
      return await attempt(reach)
    } catch (error) {
      signal?.throwIfAborted()
      if (workspaceCodeOf(error) !== 'JOIN_UNREACHABLE') throw error
      if (Date.now() + wait >= deadline) throw outOfPatience(error)
      await sleep(wait, undefined, signal === undefined ? {} : { signal })
    }
  }
}

function outOfPatience (error: unknown): WorkspaceError {
  return new WorkspaceError('JOIN_UNREACHABLE', `the inviting computer let no join through in ${JOIN_PATIENCE_MS / 60_000} minutes of trying (busy admitting other desks, or it stopped answering): ${(error as Error).message}`, { cause: error })
}

/** The log shown must verify, end with the entry of our invite signed by the peer we reached, and come with its proof. */
export function checkInvitation (invitation: Invitation, code: InviteCode, inviter: Uint8Array): Checked {
  let log: MembershipLog
  try {
    log = MembershipLog.verify(nodeMembershipPrimitives, invitation.entries)
  } catch (error) {
    return refused(`the log the inviting node showed does not verify: ${(error as Error).message}`, error)
  }
  const inviteKey = ed25519FromSeed(code.secret).publicKey
  const last = parseEntry(invitation.entries.at(-1)!.bytes)
  if (last.kind !== 'invite' || !equals(last.inviteKey, inviteKey)) refused('the inviting node showed another invite than this code\'s')
  if (!equals(last.signer, inviter)) refused('the invite was made by another device than the one that answered')
  if (!proofMatches(code.token, log.root, inviter, invitation.proof)) refused('the node that answered could not prove it made this invite: check the address, or ask for a new code')
  return { log, inviteKey, workspace: { id: log.workspaceId, name: log.name, root: log.root }, inviter: log.member(inviter)!, role: last.role, expires: last.expires }
}

async function invitationOver (connection: Connection, code: InviteCode): Promise<Checked> {
  const inviter = connection.remotePeer.publicKey?.raw
  if (inviter === undefined) refused('the inviting node has no Ed25519 key')
  return checkInvitation(await ask(code, requestInvitation(connection)), code, inviter)
}

/** Which workspace, who invited, which role: asked of the inviting node, checked, nothing stored. */
export async function previewInvite (codeText: string, signal?: AbortSignal, accepted?: () => void): Promise<InvitePreview> {
  const code = decodeInviteCode(codeText)
  return await patiently(signal, accepted, async reach => await withInviter(code, reach, signal, async connection => {
    const { workspace, inviter, role, expires } = await invitationOver(connection, code)
    return { workspace, inviter, role, expires }
  }))
}

export async function joinWorkspace (options: JoinOptions): Promise<WorkspaceInfo> {
  const code = decodeInviteCode(options.code)
  if (options.membership.log !== undefined) throw new WorkspaceError('WORKSPACE_EXISTS', 'this node already belongs to a workspace')
  const d = options.device
  const { entries, root } = await patiently(options.signal, options.accepted, async reach => await withInviter(code, reach, options.signal, async connection => {
    const shown = await invitationOver(connection, code)
    const proof = signJoinRequest(d.sign, ed25519Signer(code.secret), {
      root: shown.log.root, invite: shown.inviteKey, device: d.publicKey, identityKey: d.identityKey, prekeyId: d.prekeyId, prekey: d.prekey, name: d.name, time: (options.now ?? Date.now)()
    })
    const entries = await ask(code, requestJoin(connection, proof))
    checkAdmission(entries, shown.log, d)
    return { entries, root: shown.log.root }
  }))
  await options.membership.adopt(entries, root)
  return options.membership.workspace!
}

/** The whole log must verify on the root we were shown, extend the log we were shown, and admit us with our own keys. */
function checkAdmission (entries: SignedEntry[], shown: MembershipLog, d: LocalDevice): void {
  let log: MembershipLog
  try {
    log = MembershipLog.verify(nodeMembershipPrimitives, entries, shown.root)
  } catch (error) {
    return refused(`the log received does not verify: ${(error as Error).message}`, error)
  }
  const at = shown.length - 1
  if (!equals(log.hashAt(at) ?? new Uint8Array(), shown.head)) refused('the log received is not the one the invitation showed')
  const me = log.member(d.publicKey)
  if (me === undefined || !equals(me.identityKey, d.identityKey) || !equals(me.prekey, d.prekey)) {
    refused('the log received does not admit this device with its own keys')
  }
}
