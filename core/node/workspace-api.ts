// The part of NodeApi about the workspace: creating or joining it, its members and their roles,
// invites, admitting a desk over the network, and the open connections (a join must close none).
import type { NodeApi } from '../api/node-api.js'
import type { WorkspaceView } from '../api/schema.js'
import { decodeInviteCode, inviteHostPort } from '../workspace/invite-code.js'
import { admissionView } from './admission-events.js'
import { createdInviteView, inviteListItems, invitePreviewView } from './invite-views.js'
import type { WiredMembers } from './members-wiring.js'
import type { Network } from './network.js'
import type { NodeStores } from './node-stores.js'
import { peerView, workspaceView, type ViewContext } from './views.js'

export interface WorkspaceApiComponents {
  stores: Pick<NodeStores, 'contacts' | 'events'>
  network: Network
  members: Pick<WiredMembers, 'greetAllowed'>
  views: ViewContext
}

export type WorkspaceApi = Pick<NodeApi, 'workspaceView' | 'createWorkspace' | 'joinWorkspace' | 'admission' | 'admitDesk' | 'confirmAdmission' | 'declineAdmission' | 'confirmJoinOffer' | 'declineJoinOffer' | 'connections' | 'createInvite' | 'listInvites' | 'revokeInvite' | 'previewInvite' | 'removeMember' | 'setMemberRole'>

export function workspaceApi ({ stores, network, members, views }: WorkspaceApiComponents): WorkspaceApi {
  const { ws, host, log } = network
  /** Tells the app, as a join or preview waits, that the inviting computer accepted the connection (its wait says so). */
  const inviterAccepted = (code: string) => (): void => {
    stores.events.emit({ type: 'join-reach', address: inviteHostPort(decodeInviteCode(code).address) })
  }
  return {
    async workspaceView (): Promise<WorkspaceView | null> {
      return workspaceView(ws.membership, views)
    },

    async createWorkspace (name: string): Promise<WorkspaceView> {
      await ws.workspace.create(name)
      // Those connected now stay connected (only the admission protocol answers them) and are asked
      // whether they want to join: the admin admits them with a click each.
      ws.solicitConnected()
      // Those not in it are no longer "connected" for messaging: say so to the app.
      for (const contact of stores.contacts.all()) stores.events.emit({ type: 'peer', peer: peerView(views, contact) })
      return workspaceView(ws.membership, views)!
    },

    async joinWorkspace (code: string, signal?: AbortSignal): Promise<WorkspaceView> {
      await ws.join(code, signal, inviterAccepted(code))
      members.greetAllowed()
      // The inviter knows us now: connect at once rather than when discovery next tries.
      void host.dial(decodeInviteCode(code).address).catch(error => { log('could not reach the inviter after joining: %e', error) })
      return workspaceView(ws.membership, views)!
    },

    async admission () {
      return admissionView(ws)
    },
    admitDesk: async peer => await ws.joinRequests.admit(peer),
    confirmAdmission: async (peer, code) => await ws.joinRequests.confirm(peer, code),
    declineAdmission: async peer => await ws.joinRequests.decline(peer),
    confirmJoinOffer: async (peer, code) => await ws.joinOffers.confirm(peer, code),
    declineJoinOffer: async peer => await ws.joinOffers.decline(peer),
    connections: async () => host.getConnections().map(connection => ({ id: connection.id, peerId: connection.remotePeer.toString(), direction: connection.direction, opened: connection.timeline.open })),

    async createInvite ({ role, expiresMs, address }) {
      return createdInviteView(await ws.workspace.createInvite({ role, expiresMs, ...(address === undefined ? {} : { address }) }))
    },

    async listInvites () {
      return { invites: inviteListItems(ws.membership.requireLog(), ws.workspace.invites()) }
    },

    async revokeInvite (id: string) {
      return inviteListItems(ws.membership.requireLog(), [await ws.workspace.revokeInvite(id)])[0]!
    },

    async previewInvite (code: string, signal?: AbortSignal) {
      return invitePreviewView(await ws.previewInvite(code, signal, inviterAccepted(code)))
    },

    async removeMember (member: string, reason?: string): Promise<WorkspaceView> {
      await ws.workspace.remove(member, reason)
      return workspaceView(ws.membership, views)!
    },

    async setMemberRole (member, role): Promise<WorkspaceView> {
      await ws.workspace.setRole(member, role)
      return workspaceView(ws.membership, views)!
    }
  }
}
