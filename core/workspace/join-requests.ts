// The admin's side of admitting a desk over the network (issue 14, "join in two clicks"). A desk in
// no workspace that connects to an admin is asked who it is (`solicit`: its chosen name and a
// commitment to its nonce) and listed as wanting to join. When the admin clicks Admit, the admin's
// node sends an offer (the workspace root, a fresh invite key, its nonce) and gets the desk's nonce:
// both screens now show the same 6-digit code (admission-code.ts). Once both people confirm that the
// codes match, the admin appends an ordinary `invite` entry (whose secret it made and holds) and the
// `admit` entry embedding the desk's signed join request, signed by the invite key too, then sends
// the desk the whole log (`welcome`). The entry formats and their verifiers are those of invite codes.
// Bounds: MAX_JOIN_REQUESTS listed, one per PeerId, only while connected; an offer lives
// ADMISSION_TTL_MS; the gater lets at most MAX_STRANGER_CONNECTIONS strangers connect.
import type { Connection } from '@libp2p/interface'
import { isValidName } from '../../crypto/device-record.js'
import { ed25519FromSeed, ed25519Signer, ed25519Verify } from '../../crypto/ed25519.js'
import { equals } from '../../crypto/encoding.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { parseJoinRequest } from '../../crypto/membership-entry.js'
import type { JoinProof } from '../../crypto/membership-log.js'
import { randomBytes } from '../../crypto/random.js'
import { askAdmission, type AdmissionAnswer, type AdmissionMessage } from '../protocol/workspace-admission.js'
import { ADMISSION_TTL_MS, MAX_JOIN_REQUESTS } from '../protocol/workspace-limits.js'
import type { AdmissionFrame } from '../protocol/frames.js'
import { ADMISSION_NONCE_BYTES, admissionCode, nonceMatches } from './admission-code.js'
import { WorkspaceError } from '../errors.js'
import type { Membership } from './membership.js'
import type { LocalDevice, Workspace } from './workspace.js'

/** A desk that wants to join, as the admin's screen lists it. */
export interface JoinRequestView {
  peerId: string
  name: string
  /** The network address it connected from (seen by us, not claimed by it). */
  address: string
  since: number
  /** `comparing` once the admin clicked Admit: `code` is shown on both screens. */
  state: 'waiting' | 'comparing'
  code?: string
  confirmedByAdmin: boolean
  confirmedByNewcomer: boolean
  /** Why the last attempt ended (the codes did not match, it expired...). */
  notice?: string
}

interface Offer {
  secret: Uint8Array
  inviteKey: Uint8Array
  code: string
  expires: number
  adminConfirmed: boolean
  /** The desk's join request, signed by its device key, once its user confirmed the code. */
  request?: { bytes: Uint8Array, signature: Uint8Array }
}

interface Request {
  peerId: string
  name: string
  address: string
  since: number
  commitment: Uint8Array
  offer?: Offer
  /** Admit clicked, the offer on its way (a second click waits for the same). */
  starting?: Promise<JoinRequestView>
  notice?: string
}

export interface JoinRequestsComponents {
  membership: Membership
  workspace: Workspace
  device: LocalDevice
  /** An open connection to the peer, if any. */
  connection: (peerId: string) => Connection | undefined
  now: () => number
  /** The list changed (a desk asked, a code came, an admission ended, an offer expired): the app is told. */
  changed?: () => void
  log?: (format: string, ...args: unknown[]) => void
}

export class JoinRequests {
  readonly #components: JoinRequestsComponents
  readonly #requests = new Map<string, Request>()
  /** Admitted desks whose welcome (the log) did not get through: sent again when they connect. */
  readonly #welcomeOwed = new Set<string>()

  constructor (components: JoinRequestsComponents) {
    this.#components = components
  }

  #isAdmin (): boolean {
    const log = this.#components.membership.log
    return log !== undefined && log.member(this.#components.device.publicKey)?.role === 'admin' && !this.#components.membership.isRemoved(ed25519PeerId(this.#components.device.publicKey))
  }

  /** On a new connection: a stranger is asked who it is; an admitted desk still owed its welcome gets it. */
  async connected (connection: Connection): Promise<void> {
    const peer = connection.remotePeer.toString()
    if (this.#welcomeOwed.has(peer)) return await this.#welcome(peer)
    if (!this.#isAdmin() || this.#components.membership.isMember(peer) || this.#components.membership.isRemoved(peer)) return
    // A second connection (both ends dialled at once) must not reset an admission under way.
    const known = this.#requests.get(peer)
    if (known !== undefined && this.#live(known)) return
    const answer = await this.#solicit(connection)
    this.#requests.delete(peer)
    this.#requests.set(peer, { peerId: peer, name: answer.name, address: connection.remoteAddr.getComponents()[0]?.value ?? '', since: this.#components.now(), commitment: answer.commitment })
    while (this.#requests.size > MAX_JOIN_REQUESTS) this.#requests.delete(this.#requests.keys().next().value!)
    this.#components.changed?.()
  }

  /** Who the desk is, and its commitment to a fresh nonce (a new one for every offer). */
  async #solicit (connection: Connection): Promise<{ name: string, commitment: Uint8Array }> {
    const log = this.#components.membership.requireLog()
    const answer = await askAdmission(connection, { kind: 'solicit', workspace: log.name, name: this.#components.device.name })
    if (!isValidName(answer.name) || answer.commitment.length !== 32) throw new WorkspaceError('ADMISSION_REFUSED', 'the desk answered with no valid name')
    return answer
  }

  /** The desks waiting, connected now (an expired offer goes back to waiting). */
  list (): JoinRequestView[] {
    if (!this.#isAdmin()) return []
    return [...this.#requests.values()].filter(r => this.#live(r)).map(r => view(r))
  }

  #live (request: Request): boolean {
    if (this.#components.membership.isMember(request.peerId) || this.#components.connection(request.peerId) === undefined) {
      this.#requests.delete(request.peerId)
      return false
    }
    if (request.offer !== undefined && this.#components.now() > request.offer.expires) this.#end(request, 'the code was not confirmed in time: click Admit again')
    return true
  }

  #require (peerId: string): Request {
    if (!this.#isAdmin()) throw new WorkspaceError('WORKSPACE_NOT_ADMIN', 'only an admin may admit a desk')
    const request = this.#requests.get(peerId)
    if (request === undefined || !this.#live(request)) throw new WorkspaceError('ADMISSION_NO_REQUEST', `no desk ${peerId} is waiting to join (is it still connected?)`)
    return request
  }

  /** The admin clicked Admit: sends the offer and returns the code to compare. Again: the same code. */
  async admit (peerId: string): Promise<JoinRequestView> {
    const request = this.#require(peerId)
    if (request.offer !== undefined) return view(request)
    request.starting ??= this.#offer(request).finally(() => { delete request.starting })
    return await request.starting
  }

  /**
   * A fresh commitment first: a nonce the desk revealed for an earlier offer is known to whoever
   * made that offer, who could otherwise choose its own nonce to match any code (admission-code.ts).
   */
  async #offer (request: Request): Promise<JoinRequestView> {
    const connection = this.#components.connection(request.peerId)
    if (connection === undefined) throw new WorkspaceError('ADMISSION_NO_REQUEST', 'the desk is no longer connected')
    const { name, commitment } = await this.#solicit(connection)
    request.name = name // it may have been renamed since it was first asked
    const log = this.#components.membership.requireLog()
    const secret = randomBytes(32)
    const inviteKey = ed25519FromSeed(secret).publicKey
    const nonce = randomBytes(ADMISSION_NONCE_BYTES)
    const answer = await askAdmission(connection, { kind: 'offer', workspace: log.name, root: log.root, invite: inviteKey, nonce })
    if (!nonceMatches(answer.nonce, commitment)) throw new WorkspaceError('ADMISSION_REFUSED', 'the desk\'s answer does not match what it first said: ask it to restart causette')
    const code = admissionCode({ root: log.root, admin: this.#components.device.publicKey, newcomer: peerKey(connection), adminNonce: nonce, newcomerNonce: answer.nonce })
    request.offer = { secret, inviteKey, code, expires: this.#components.now() + ADMISSION_TTL_MS, adminConfirmed: false }
    delete request.notice
    changedAtExpiry(this.#components.changed)
    this.#components.changed?.()
    return view(request)
  }

  /** The admin says the codes match (`code`, if typed, must be the one shown). Admits once both confirmed. */
  async confirm (peerId: string, code?: string): Promise<JoinRequestView> {
    const request = this.#require(peerId)
    const offer = request.offer
    if (offer === undefined) throw new WorkspaceError('ADMISSION_NO_REQUEST', 'click Admit first: there is no code to confirm yet')
    if (code !== undefined && code !== offer.code) throw new WorkspaceError('ADMISSION_CODE_MISMATCH', `the code ${code} is not the one shown here: compare again, or decline if the other screen shows another code`)
    offer.adminConfirmed = true
    if (offer.request !== undefined) await this.#finish(request, offer)
    this.#components.changed?.()
    return view(request)
  }

  /** The admin says the codes differ, or cancels: the desk is told, and may be admitted again later. */
  async decline (peerId: string): Promise<JoinRequestView> {
    const request = this.#require(peerId)
    if (request.offer !== undefined) await this.#ask(peerId, { kind: 'decline', errorMessage: `${this.#components.device.name} cancelled: the codes did not match or the admission was stopped` }).catch(() => {})
    this.#end(request, 'cancelled: you said the codes did not match')
    this.#components.changed?.()
    return view(request)
  }

  /** The desk's user chose a name after we first asked who it is: the list shows that one. */
  #renamed (request: Request, name: string | undefined): AdmissionAnswer {
    if (name === undefined || !isValidName(name)) throw new WorkspaceError('ADMISSION_REFUSED', 'a desk\'s name must be one printable line')
    request.name = name
    this.#components.changed?.()
    return {}
  }

  /** A request from a desk that is not a member: its confirmation or its refusal of the code. */
  async answer (connection: Connection, message: AdmissionMessage): Promise<AdmissionAnswer> {
    const peer = connection.remotePeer.toString()
    const request = this.#requests.get(peer)
    if (message.kind === 'renamed' && request !== undefined && this.#isAdmin()) return this.#renamed(request, message.name)
    const offer = request?.offer
    if (request === undefined || offer === undefined || !this.#isAdmin()) throw new WorkspaceError('ADMISSION_NO_REQUEST', 'no admission of this desk is under way here')
    if (message.kind === 'decline') {
      this.#end(request, `cancelled: ${request.name} said the codes did not match`)
      this.#components.changed?.()
      return {}
    }
    if (message.kind !== 'accept') throw new WorkspaceError('ADMISSION_REFUSED', `an admin does not take "${message.kind}" requests`)
    offer.request = checkedRequest(this.#components.membership, message, offer, peerKey(connection))
    this.#components.changed?.()
    if (offer.adminConfirmed) void this.#finish(request, offer).catch(error => { this.#components.log?.('could not admit %s: %e', peer, error) })
    return {}
  }

  #end (request: Request, notice: string): void {
    delete request.offer
    request.notice = notice
  }

  async #finish (request: Request, offer: Offer): Promise<void> {
    const proof: JoinProof = { request: offer.request!.bytes, requestSignature: offer.request!.signature, inviteSignature: ed25519Signer(offer.secret)(offer.request!.bytes) }
    this.#requests.delete(request.peerId)
    this.#components.changed?.()
    await this.#components.workspace.inviteKnownDevice(offer.inviteKey, offer.expires)
    await this.#components.workspace.admit(proof, offer.inviteKey)
    this.#components.log?.('admitted %s (%s) over the network', request.peerId, request.name)
    this.#welcomeOwed.add(request.peerId)
    await this.#welcome(request.peerId)
  }

  /** Sends the whole log to a desk just admitted; if it is away, again on its next connection. */
  async #welcome (peerId: string): Promise<void> {
    try {
      await this.#ask(peerId, { kind: 'welcome' }, this.#components.membership.requireLog().entries())
      this.#welcomeOwed.delete(peerId)
    } catch (error) {
      this.#components.log?.('could not send the log to %s, who was just admitted: %e', peerId, error)
    }
  }

  async #ask (peerId: string, message: AdmissionMessage, entries?: Parameters<typeof askAdmission>[2]): Promise<AdmissionFrame> {
    const connection = this.#components.connection(peerId)
    if (connection === undefined) throw new WorkspaceError('ADMISSION_NO_REQUEST', 'the desk is no longer connected')
    return await askAdmission(connection, message, entries)
  }
}

/** The desk's join request: for this workspace and this offer's invite, naming and signed by the device at the other end. */
function checkedRequest (membership: Membership, message: AdmissionMessage, offer: Offer, device: Uint8Array): { bytes: Uint8Array, signature: Uint8Array } {
  const bytes = message.request ?? new Uint8Array()
  const signature = message.requestSignature ?? new Uint8Array()
  let request
  try { request = parseJoinRequest(bytes) } catch (error) { throw new WorkspaceError('MEMBERSHIP_BAD_JOIN_REQUEST', (error as Error).message) }
  const bad = !equals(request.root, membership.requireLog().root) || !equals(request.invite, offer.inviteKey) || !equals(request.device, device) || signature.length !== 64 || !ed25519Verify(device, bytes, signature)
  if (bad) throw new WorkspaceError('MEMBERSHIP_BAD_JOIN_REQUEST', 'the join request is not this desk\'s, for this offer, signed by it')
  return { bytes, signature }
}

function view (request: Request): JoinRequestView {
  const offer = request.offer
  return {
    peerId: request.peerId,
    name: request.name,
    address: request.address,
    since: request.since,
    state: offer === undefined ? 'waiting' : 'comparing',
    ...(offer !== undefined ? { code: offer.code } : {}),
    confirmedByAdmin: offer?.adminConfirmed ?? false,
    confirmedByNewcomer: offer?.request !== undefined,
    ...(request.notice !== undefined ? { notice: request.notice } : {})
  }
}

/** The Ed25519 key Noise proved for the other end of the connection. */
export function peerKey (connection: Connection): Uint8Array {
  const key = connection.remotePeer.publicKey?.raw
  if (key === undefined || key.length !== 32) throw new WorkspaceError('ADMISSION_REFUSED', 'the other desk has no Ed25519 key')
  return key
}

/** An offer not confirmed in time ends when the list is next read: the app is told to read it then. */
export function changedAtExpiry (changed: (() => void) | undefined): void {
  if (changed === undefined) return
  setTimeout(changed, ADMISSION_TTL_MS + 1).unref()
}
