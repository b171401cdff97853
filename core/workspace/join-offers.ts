// The newcomer's side of admitting a desk over the network (join-requests.ts is the admin's). While
// this desk belongs to no workspace, an admin it connects to asks who it is (`solicit`): we answer
// with our name and a commitment to a fresh nonce, and note that this admin can admit us (the
// screen says "ask Alice to admit you"). The admin's offer brings the root, the invite key and its
// nonce; we reveal ours and both sides show the same code. When our user confirms that the codes
// match, we send our join request signed by our device key; the admin admits us and sends the log
// (`welcome`), which we check against the root of the offer we confirmed (pinned, as an invite
// code's) and which must admit us with our own keys. At most MAX_ADMITTING_WORKSPACES admins are kept.
import type { Connection } from '@libp2p/interface'
import { isValidName } from '../../crypto/device-record.js'
import { equals } from '../../crypto/encoding.js'
import { encodeJoinRequest } from '../../crypto/membership-entry.js'
import { MembershipLog, type SignedEntry } from '../../crypto/membership-log.js'
import { randomBytes } from '../../crypto/random.js'
import { askAdmission, type AdmissionAnswer, type AdmissionMessage } from '../protocol/workspace-admission.js'
import { ADMISSION_TTL_MS, MAX_ADMITTING_WORKSPACES, MAX_OFFERS_PER_WINDOW } from '../protocol/workspace-limits.js'
import type { AdmissionFrame } from '../protocol/frames.js'
import { ADMISSION_NONCE_BYTES, admissionCode, commitNonce } from './admission-code.js'
import { WorkspaceError } from '../errors.js'
import { changedAtExpiry, peerKey } from './join-requests.js'
import { nodeMembershipPrimitives, type Membership } from './membership.js'
import type { LocalDevice } from './workspace.js'

/** An admin that can admit this desk, as the newcomer's screen shows it. */
export interface JoinOfferView {
  peerId: string
  /** The admin's display name and its workspace's name, as the admin's node said them. */
  admin: string
  workspace: string
  /** `comparing` once the admin clicked Admit: `code` must match the admin's screen. */
  state: 'asked' | 'comparing'
  code?: string
  confirmed: boolean
  notice?: string
}

interface Offer { root: Uint8Array, invite: Uint8Array, code: string, expires: number, confirmed: boolean }

interface Asking {
  peerId: string
  admin: string
  workspace: string
  nonce: Uint8Array
  /** Our nonce went out in answer to an offer: the next offer needs a fresh one (a new solicit). */
  revealed: boolean
  offer?: Offer
  notice?: string
}

export interface JoinOffersComponents {
  membership: Membership
  device: LocalDevice
  connection: (peerId: string) => Connection | undefined
  now: () => number
  /** The log was adopted: this desk is a member now. */
  joined: () => void
  /** The list changed (an admin asked, its code came, an admission ended, an offer expired): the app is told. */
  changed?: () => void
}

export class JoinOffers {
  readonly #components: JoinOffersComponents
  readonly #asking = new Map<string, Asking>()
  /** When we answered the offers of the last ADMISSION_TTL_MS (each answer reveals a nonce). */
  #answered: number[] = []

  constructor (components: JoinOffersComponents) {
    this.#components = components
  }

  list (): JoinOfferView[] {
    if (this.#components.membership.log !== undefined) return []
    return [...this.#asking.values()].filter(a => this.#live(a)).map(view)
  }

  #live (asking: Asking): boolean {
    if (this.#components.connection(asking.peerId) === undefined) {
      this.#asking.delete(asking.peerId)
      return false
    }
    if (asking.offer !== undefined && this.#components.now() > asking.offer.expires) this.#end(asking, 'the code was not confirmed in time: ask the admin to click Admit again')
    return true
  }

  #require (peerId: string): Asking & { offer: Offer } {
    const asking = this.#asking.get(peerId)
    if (asking === undefined || !this.#live(asking) || asking.offer === undefined) throw new WorkspaceError('ADMISSION_NO_REQUEST', `no admin ${peerId} is admitting this desk now (has it clicked Admit?)`)
    return asking as Asking & { offer: Offer }
  }

  /** Our user chose a name: the admins that asked who we are list us under it (a failure is theirs to ask again). */
  async renamed (): Promise<void> {
    if (this.#components.membership.log !== undefined) return
    const name = this.#components.device.name
    await Promise.allSettled([...this.#asking.keys()].map(async peerId => await this.#ask(peerId, { kind: 'renamed', name })))
  }

  /** Our user says the codes match (`code`, if typed, must be ours): we send our signed join request. */
  async confirm (peerId: string, code?: string): Promise<JoinOfferView> {
    const asking = this.#require(peerId)
    const offer = asking.offer
    if (code !== undefined && code !== offer.code) throw new WorkspaceError('ADMISSION_CODE_MISMATCH', `the code ${code} is not the one shown here: compare again, or decline if the other screen shows another code`)
    const d = this.#components.device
    const request = encodeJoinRequest({ root: offer.root, invite: offer.invite, device: d.publicKey, identityKey: d.identityKey, prekeyId: d.prekeyId, prekey: d.prekey, name: d.name, time: this.#components.now() })
    offer.confirmed = true
    await this.#ask(peerId, { kind: 'accept', request, requestSignature: d.sign(request) }).catch(error => {
      offer.confirmed = false
      throw error
    })
    this.#components.changed?.()
    return view(asking)
  }

  /** Our user says the codes differ: the admin is told and nothing is joined. */
  async decline (peerId: string): Promise<JoinOfferView> {
    const asking = this.#require(peerId)
    await this.#ask(peerId, { kind: 'decline', errorMessage: 'the codes did not match' }).catch(() => {})
    this.#end(asking, 'cancelled: you said the codes did not match')
    this.#components.changed?.()
    return view(asking)
  }

  /** A request from an admin: who we are, its offer, its cancellation, or the log that admits us. */
  async answer (connection: Connection, message: AdmissionMessage, entries: () => Promise<SignedEntry[]>): Promise<AdmissionAnswer> {
    if (this.#components.membership.log !== undefined) throw new WorkspaceError('WORKSPACE_EXISTS', 'this desk already belongs to a workspace')
    const peer = connection.remotePeer.toString()
    if (message.kind === 'solicit') return this.#solicited(peer, message)
    const asking = this.#asking.get(peer)
    if (asking === undefined) throw new WorkspaceError('ADMISSION_NO_REQUEST', 'this desk did not ask you to admit it')
    if (message.kind === 'offer') return this.#offered(asking, message, peerKey(connection))
    if (message.kind === 'decline') {
      this.#end(asking, `${asking.admin} cancelled: the codes did not match or the admission was stopped`)
      this.#components.changed?.()
      return {}
    }
    if (message.kind !== 'welcome' || asking.offer?.confirmed !== true) throw new WorkspaceError('ADMISSION_REFUSED', 'this desk has not confirmed an admission by you')
    await this.#welcomed(asking.offer, await entries())
    return {}
  }

  #solicited (peer: string, message: AdmissionMessage): AdmissionAnswer {
    const admin = message.name ?? ''
    const workspace = message.workspace ?? ''
    if (!isValidName(admin) || !isValidName(workspace)) throw new WorkspaceError('ADMISSION_REFUSED', 'an admin\'s name and its workspace\'s must be one printable line each')
    const nonce = randomBytes(ADMISSION_NONCE_BYTES)
    this.#asking.delete(peer)
    this.#asking.set(peer, { peerId: peer, admin, workspace, nonce, revealed: false })
    while (this.#asking.size > MAX_ADMITTING_WORKSPACES) this.#asking.delete(this.#asking.keys().next().value!)
    this.#components.changed?.()
    return { name: this.#components.device.name, commitment: commitNonce(nonce) }
  }

  #offered (asking: Asking, message: AdmissionMessage, admin: Uint8Array): AdmissionAnswer {
    const { root, invite, nonce } = message
    if (root?.length !== 32 || invite?.length !== 32 || nonce?.length !== ADMISSION_NONCE_BYTES) throw new WorkspaceError('ADMISSION_REFUSED', 'an offer needs a root key, an invite key and a nonce')
    // Revealed once, our nonce is known to that admin (or a device in the middle): never again.
    if (asking.revealed) throw new WorkspaceError('ADMISSION_REFUSED', 'this desk already answered an offer with this nonce: ask again first')
    const now = this.#components.now()
    this.#answered = this.#answered.filter(time => now - time < ADMISSION_TTL_MS)
    if (this.#answered.length >= MAX_OFFERS_PER_WINDOW) throw new WorkspaceError('ADMISSION_REFUSED', `this desk answered ${MAX_OFFERS_PER_WINDOW} offers in the last ${ADMISSION_TTL_MS / 60_000} minutes: try again later`)
    this.#answered.push(now)
    asking.revealed = true
    const code = admissionCode({ root, admin, newcomer: this.#components.device.publicKey, adminNonce: nonce, newcomerNonce: asking.nonce })
    asking.offer = { root, invite, code, expires: this.#components.now() + ADMISSION_TTL_MS, confirmed: false }
    delete asking.notice
    changedAtExpiry(this.#components.changed)
    this.#components.changed?.()
    return { nonce: asking.nonce }
  }

  async #welcomed (offer: Offer, entries: SignedEntry[]): Promise<void> {
    let log: MembershipLog
    try {
      log = MembershipLog.verify(nodeMembershipPrimitives, entries, offer.root)
    } catch (error) {
      throw new WorkspaceError('JOIN_REFUSED', `the log received does not verify: ${(error as Error).message}`, { cause: error })
    }
    const d = this.#components.device
    const me = log.member(d.publicKey)
    if (me === undefined || !equals(me.identityKey, d.identityKey) || !equals(me.prekey, d.prekey)) throw new WorkspaceError('JOIN_REFUSED', 'the log received does not admit this desk with its own keys')
    await this.#components.membership.adopt(entries, offer.root)
    this.#asking.clear()
    this.#components.joined()
    this.#components.changed?.()
  }

  #end (asking: Asking, notice: string): void {
    delete asking.offer
    asking.notice = notice
  }

  async #ask (peerId: string, message: AdmissionMessage): Promise<AdmissionFrame> {
    const connection = this.#components.connection(peerId)
    if (connection === undefined) throw new WorkspaceError('ADMISSION_NO_REQUEST', 'the admin\'s desk is no longer connected')
    return await askAdmission(connection, message)
  }
}

function view (asking: Asking): JoinOfferView {
  const offer = asking.offer
  return {
    peerId: asking.peerId,
    admin: asking.admin,
    workspace: asking.workspace,
    state: offer === undefined ? 'asked' : 'comparing',
    ...(offer !== undefined ? { code: offer.code } : {}),
    confirmed: offer?.confirmed ?? false,
    ...(asking.notice !== undefined ? { notice: asking.notice } : {})
  }
}
