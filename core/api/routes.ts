// Every route of the local API, in one table: register.ts serves it, openapi.ts documents it.
import { z } from 'zod'
import { openEventStream } from './events.js'
import { openApiDocument } from './openapi.js'
import { streamJournalExport } from './journal-export.js'
import { UNLOCK_PATH } from './paths.js'
import { nodeProofRoute } from './node-proof.js'
import { EventsQuery, JournalExportQuery } from './query-schemas.js'
import { defineRoute, type ApiRoute } from './route.js'
import {
  AutostartUpdate, AutostartView, ConversationView, EventFrame, InviteList, InviteListItem, InvitePreview, InviteRequest, InviteView, MemberRemoval, MemberRoleChange, MessagesQuery, MessageView, SearchQuery, SearchResults, StatusAnswer, UnlockRequest, UnlockResult,
  PeerView, PhotoUpload, ProfilePhoto, ProfileUpdate, ReadRequest, SafetyNumberView, SendRequest, TrustRequest, TrustView, WorkspaceCreate, WorkspaceJoin, WorkspaceView
} from './schema.js'
import { presenceRoutes } from './presence-routes.js'
import { channelRoutes } from './channel-routes.js'
import { admissionRoutes } from './admission-routes.js'
import { messageRoutes } from './message-routes.js'
import { updateRoutes } from './update-routes.js'
import { sentText } from './sent-text.js'
import { peerPhotoResponse } from './peer-photo.js'
import { fileRoutes } from './file-routes.js'

export const apiRoutes: ApiRoute[] = [
  nodeProofRoute,
  defineRoute({
    method: 'get',
    path: '/status',
    operationId: 'getStatus',
    summary: "This node's identity, addresses, peers and outbox; while it waits for its profile's passphrase, { locked: true } and the profile (POST /unlock)",
    response: { kind: 'json', status: 200, schema: StatusAnswer, description: 'The node status, or the locked node\'s' },
    handle: async ({ node }) => await node.status()
  }),
  defineRoute<undefined, UnlockRequest>({
    method: 'post',
    path: UNLOCK_PATH,
    operationId: 'unlock',
    summary: 'A locked node (started with nobody to type its profile\'s passphrase: at login, from the menu entry, by a double-click) opens the profile with this passphrase and starts; PASSPHRASE_WRONG leaves it locked, UNLOCK_BUSY while another attempt runs. A started node has nothing to do and answers the same (locked-routes.ts serves the locked one)',
    body: UnlockRequest,
    response: { kind: 'json', status: 200, schema: UnlockResult, description: 'The node is started' },
    handle: async () => ({ locked: false })
  }),
  defineRoute({
    method: 'put',
    path: '/autostart',
    operationId: 'setStartAtLogin',
    summary: "Start at login on or off for this user (the app's switch): on is `causette install` from the program this node runs from, never a path the request names, and leaves this node running; off removes the autostart entry only. DESK_NOT_PACKAGED from a source checkout, DESK_NEWER_INSTALLED when a newer version is installed (kept, nothing changed), DESK_FAILED with the step that failed",
    body: AutostartUpdate,
    response: { kind: 'json', status: 200, schema: AutostartView, description: 'Whether the node starts at login now, and its menu entry' },
    handle: async ({ node, body }) => await node.setStartAtLogin(body.enabled)
  }),
  defineRoute({
    method: 'get',
    path: '/peers',
    operationId: 'listPeers',
    summary: 'Known peers, connected or not',
    response: { kind: 'json', status: 200, schema: z.array(PeerView), description: 'Every known peer' },
    handle: async ({ node }) => await node.peers()
  }),
  defineRoute({
    method: 'get',
    path: '/peers/{peerId}/safety-number',
    operationId: 'getSafetyNumber',
    summary: 'The safety number with a peer (PeerId or display name): compare it with theirs, aloud or by QR code',
    response: { kind: 'json', status: 200, schema: SafetyNumberView, description: 'The 60 digits and the QR payload' },
    handle: async ({ node, c }) => await node.safetyNumber(c.req.param('peerId')!)
  }),
  defineRoute({
    method: 'get',
    path: '/peers/{peerId}/photo',
    operationId: 'getPeerPhoto',
    summary: "A colleague's photo (JPEG or WebP, at most 64 KiB), as their node sent it and this node checked it (size, type, the SHA-256 their presence announced): the image with `nosniff` and a sandbox CSP. NOT_FOUND if none is held",
    response: { kind: 'download', description: 'The image' },
    handle: async ({ node, c }) => await peerPhotoResponse(node, c.req.param('peerId')!)
  }),
  defineRoute({
    method: 'post',
    path: '/peers/{peerId}/trust',
    operationId: 'trustPeer',
    summary: "Mark a peer verified once the safety numbers match; if its key changed, accept the new key and unblock the conversation",
    body: TrustRequest,
    response: { kind: 'json', status: 200, schema: TrustView, description: 'The peer, verified' },
    handle: async ({ node, c }) => await node.trust(c.req.param('peerId')!)
  }),
  defineRoute({
    method: 'get',
    path: '/conversations',
    operationId: 'listConversations',
    summary: 'Conversations with their last message and unread count',
    response: { kind: 'json', status: 200, schema: z.array(ConversationView), description: 'Every conversation' },
    handle: async ({ node }) => await node.conversations()
  }),
  defineRoute({
    method: 'get',
    path: '/messages',
    operationId: 'listMessages',
    summary: 'Messages, oldest first, optionally filtered',
    query: MessagesQuery,
    response: { kind: 'json', status: 200, schema: z.array(MessageView), description: 'The matching messages' },
    handle: async ({ node, query }) => await node.messages(query)
  }),
  defineRoute({
    method: 'get',
    path: '/search',
    operationId: 'searchMessages',
    summary: 'Search every 1:1 conversation and channel: each word as a word or the start of one, accents and case aside; all words matched first, then whole words, then the newest',
    query: SearchQuery,
    response: { kind: 'json', status: 200, schema: SearchResults, description: 'The best matches, with an excerpt and its highlighted words; none for a query without words' },
    handle: async ({ node, query }) => await node.search(query)
  }),
  defineRoute({
    method: 'post',
    path: '/messages',
    operationId: 'sendMessage',
    summary: 'Send a message, with files staged by POST /files (`attachments`; the text may then be empty); it is queued durably before this answers. A retry with the same `sendId` answers the message already stored and sends nothing',
    body: SendRequest,
    response: { kind: 'json', status: 201, schema: MessageView, description: 'The message as stored' },
    handle: async ({ node, body }) => await node.send(body.to, sentText(body), {
      ...(body.urgent !== undefined ? { urgent: body.urgent } : {}),
      ...(body.quote !== undefined ? { quote: body.quote } : {}),
      ...(body.attachments !== undefined ? { attachments: body.attachments } : {}),
      ...(body.sendId !== undefined ? { sendId: body.sendId } : {})
    })
  }),
  defineRoute({
    method: 'post',
    path: '/read',
    operationId: 'markRead',
    summary: 'Mark a conversation as read',
    body: ReadRequest,
    response: { kind: 'empty', description: 'Marked as read' },
    handle: async ({ node, body }) => { await node.markRead(body.conversation) }
  }),
  defineRoute({
    method: 'put',
    path: '/profile',
    operationId: 'updateProfile',
    summary: "Change this node's display name",
    body: ProfileUpdate,
    response: { kind: 'empty', description: 'Updated' },
    handle: async ({ node, body }) => { await node.setName(body.name) }
  }),
  defineRoute({
    method: 'get',
    path: '/profile/photo',
    operationId: 'getPhoto',
    summary: "The user's photo (colleagues' nodes fetch it and show it)",
    response: { kind: 'json', status: 200, schema: z.object({ photo: ProfilePhoto.nullable() }), description: 'The photo, null if none' },
    handle: async ({ node }) => ({ photo: await node.photo() })
  }),
  defineRoute({
    method: 'put',
    path: '/profile/photo',
    operationId: 'setPhoto',
    summary: "Set the user's photo: a JPEG or WebP of at most 64 KiB (PAYLOAD_TOO_LARGE otherwise), its bytes checked against its type",
    body: PhotoUpload,
    response: { kind: 'empty', description: 'Stored' },
    handle: async ({ node, body }) => { await node.setPhoto(body) }
  }),
  defineRoute({
    method: 'delete',
    path: '/profile/photo',
    operationId: 'removePhoto',
    summary: "Remove the user's photo",
    response: { kind: 'empty', description: 'Removed' },
    handle: async ({ node }) => { await node.setPhoto(null) }
  }),
  ...presenceRoutes,
  ...channelRoutes,
  ...messageRoutes,
  ...updateRoutes,
  ...fileRoutes,
  ...admissionRoutes,
  defineRoute({
    method: 'get',
    path: '/workspace',
    operationId: 'getWorkspace',
    summary: 'The workspace this node belongs to and its members; null if none yet',
    response: { kind: 'json', status: 200, schema: WorkspaceView.nullable(), description: 'The workspace, or null' },
    handle: async ({ node }) => await node.workspaceView()
  }),
  defineRoute({
    method: 'post',
    path: '/workspace',
    operationId: 'createWorkspace',
    summary: 'Create a workspace: this node becomes its root and first admin, and accepts members only',
    body: WorkspaceCreate,
    response: { kind: 'json', status: 201, schema: WorkspaceView, description: 'The new workspace' },
    handle: async ({ node, body }) => await node.createWorkspace(body.name)
  }),
  defineRoute({
    method: 'post',
    path: '/workspace/join',
    operationId: 'joinWorkspace',
    summary: 'Join a workspace with an invite code, while the node runs (`causette workspace join <code>`; `causette start --join <code>` does it at start)',
    body: WorkspaceJoin,
    response: { kind: 'json', status: 200, schema: WorkspaceView, description: 'The workspace joined' },
    handle: async ({ node, body, c }) => await node.joinWorkspace(body.code, c.req.raw.signal)
  }),
  defineRoute({
    method: 'post',
    path: '/workspace/join/preview',
    operationId: 'previewInvite',
    summary: 'What an invite code invites to (workspace, inviter, role), asked of the inviting node and checked; nothing is stored',
    body: WorkspaceJoin,
    response: { kind: 'json', status: 200, schema: InvitePreview, description: 'The invitation, as the inviter proved it' },
    handle: async ({ node, body, c }) => await node.previewInvite(body.code, c.req.raw.signal)
  }),
  defineRoute({
    method: 'get',
    path: '/invites',
    operationId: 'listInvites',
    summary: 'Every invite of the workspace with its state: open, used (by whom), revoked, expired (admins only)',
    response: { kind: 'json', status: 200, schema: InviteList, description: 'The invites, newest first' },
    handle: async ({ node }) => await node.listInvites()
  }),
  defineRoute({
    method: 'delete',
    path: '/invites/{id}',
    operationId: 'revokeInvite',
    summary: 'Revoke an open invite (admins only): a signed entry of the membership log, so every node that has it refuses the code',
    response: { kind: 'json', status: 200, schema: InviteListItem, description: 'The invite, revoked' },
    handle: async ({ node, c }) => await node.revokeInvite(c.req.param('id')!)
  }),
  defineRoute({
    method: 'post',
    path: '/invites',
    operationId: 'createInvite',
    summary: 'A single-use invite code (admins only); the new device runs `causette workspace join <code>` (or `causette start --join <code>`)',
    body: InviteRequest,
    response: { kind: 'json', status: 201, schema: InviteView, description: 'The code and when it expires' },
    handle: async ({ node, body }) => await node.createInvite(body)
  }),
  defineRoute({
    method: 'post',
    path: '/members/{peerId}/remove',
    operationId: 'removeMember',
    summary: 'Remove a member (admins only): every node disconnects and refuses that device from now on',
    body: MemberRemoval,
    response: { kind: 'json', status: 200, schema: WorkspaceView, description: 'The workspace after the removal' },
    handle: async ({ node, body, c }) => await node.removeMember(c.req.param('peerId')!, body.reason)
  }),
  defineRoute({
    method: 'post',
    path: '/members/{peerId}/role',
    operationId: 'setMemberRole',
    summary: "Change a member's role (admins only)",
    body: MemberRoleChange,
    response: { kind: 'json', status: 200, schema: WorkspaceView, description: 'The workspace after the change' },
    handle: async ({ node, body, c }) => await node.setMemberRole(c.req.param('peerId')!, body.role)
  }),
  defineRoute({
    method: 'get',
    path: '/journal/export',
    operationId: 'exportJournal',
    summary: 'The signed journal as an export file (docs/log-format.md)',
    query: JournalExportQuery,
    response: { kind: 'text', description: 'The export file, one record per line' },
    handle: async ({ node, query }) => await streamJournalExport(node, query)
  }),
  defineRoute({
    method: 'get',
    path: '/events',
    operationId: 'streamEvents',
    summary: 'Event stream (WebSocket); token as subprotocol causette.token.<token> for browsers',
    query: EventsQuery,
    response: { kind: 'websocket', frame: EventFrame, description: 'Switching to a WebSocket of Event frames' },
    handle: async ({ node, query, c }) => await openEventStream(c, node.events, query)
  }),
  defineRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document',
    response: { kind: 'json', status: 200, schema: z.looseObject({ openapi: z.literal('3.1.0') }), description: 'The OpenAPI 3.1 document' },
    handle: async () => openApiDocument(apiRoutes)
  })
]
