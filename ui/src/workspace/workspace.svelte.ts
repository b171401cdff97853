// The workspace screen's state: the workspace as the node last described it, and the admin's
// actions. Every action answers with the workspace as it is after it; refusals are thrown as
// ApiRequestError for the form that asked (see error-text.ts).
import type { InviteListItem, InviteView, Role, WorkspaceView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'

export class WorkspaceState {
  readonly #api: ApiClient
  /** undefined until loaded; null: this node belongs to no workspace. */
  #view = $state<WorkspaceView | null>()
  #loadError = $state<string>()
  /** An admin's list of invites, newest first; undefined until loaded (or for a member). */
  #invites = $state<InviteListItem[]>()

  constructor (api: ApiClient) {
    this.#api = api
  }

  get view (): WorkspaceView | null | undefined { return this.#view }
  get loadError (): string | undefined { return this.#loadError }
  get isAdmin (): boolean { return this.#view?.role === 'admin' }
  get invites (): InviteListItem[] | undefined { return this.#invites }

  async load (): Promise<void> {
    try {
      this.#view = await this.#api.workspace()
      this.#loadError = undefined
      if (this.isAdmin) await this.loadInvites()
    } catch (failure) {
      this.#loadError = failure instanceof Error ? failure.message : String(failure)
    }
  }

  async create (name: string): Promise<void> { this.#view = await this.#api.createWorkspace(name) }
  async join (code: string, signal?: AbortSignal): Promise<void> { this.#view = await this.#api.joinWorkspace(code, signal) }
  async remove (peerId: string): Promise<void> { this.#view = await this.#api.removeMember(peerId) }
  async setRole (peerId: string, role: Role): Promise<void> { this.#view = await this.#api.setMemberRole(peerId, role) }
  async invite (role: Role, expiresMs: number): Promise<InviteView> {
    const invite = await this.#api.createInvite({ role, expiresMs })
    await this.loadInvites().catch(() => {})
    return invite
  }

  async loadInvites (): Promise<void> { this.#invites = (await this.#api.listInvites()).invites }
  async revoke (id: string): Promise<void> {
    const revoked = await this.#api.revokeInvite(id)
    this.#invites = this.#invites?.map(invite => invite.id === revoked.id ? revoked : invite)
  }
}
