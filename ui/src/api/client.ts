// A typed client for the daemon's local API (/api/v1). The daemon is trusted (it is this
// machine's own node), so responses are typed with the shared schema rather than re-validated.
import { API_PREFIX, FILES_PATH, RELEASE_BUNDLE_TYPE, UNLOCK_PATH, UPDATE_APPLY_PATH } from '../../../core/api/paths.js'
import { NodeProof, NotYourNodeError } from './node-proof.svelte.js'
import { NODE_NOT_RUNNING } from './node-link.svelte.js'
import { UploadAbortedError, uploadFile, type Upload, type UploadProgress } from './file-upload.js'
import { ApiRequestError } from './request-error.js'
import type { AdmissionView, AttachmentRequest, AutostartView, AttachmentView, FilesUsage, StagedFileView, ChannelMessageView, ChannelMute, ChannelView, ConversationView, DigestView, InviteList, InviteListItem, InvitePreview, InviteRequest, InviteView, JoinOfferView, JoinRequestView, LockedStatus, MessagesQuery, MessageView, MuteRequest, NodeStatus, PeerView, PresenceUpdate, PresenceView, ProfilePhoto, Role, SafetyNumberView, SearchResults, SettingsUpdate, SettingsView, TrustView, UpdateStatus, WorkspaceView } from '../../../core/api/schema.js'

export const API_BASE = API_PREFIX

export interface JournalFile {
  blob: Blob
  filename: string
}

/** A 1:1 message's options: why it is urgent, the message it quotes, the files staged for it. */
/** `sendId`: the client's id of this send; a retry with it answers the message the node stored, sending nothing again. */
export interface SendOptions { urgent?: string, quote?: string, attachments?: AttachmentRequest[], sendId?: string }
export interface ChannelSendOptions extends SendOptions { replyTo?: string }

type Query = Record<string, string | number | boolean | undefined>

/** GET /channels/{id}/messages: after or before a time (ms, exclusive), one thread; the newest `limit` of them, oldest first. */
export type ChannelMessagesPage = { since?: number, before?: number, after?: number, around?: string, thread?: string, limit?: number }

export class ApiClient {
  readonly #token: string
  readonly #onUnauthorized: () => void
  readonly #onStorageUnavailable: () => void
  readonly #onLocked: (status?: LockedStatus) => void
  /** Asked before the token is sent: the server on this port must be the user's node. */
  readonly proof: NodeProof

  /**
   * `onStorageUnavailable`: the node refused a write because its storage cannot be written (its status says why).
   * `onLocked`: the node waits for its profile's passphrase (its status says so, with the profile; any other route answers NODE_LOCKED).
   */
  constructor (token: string, onUnauthorized: () => void, onStorageUnavailable: () => void = () => {}, onLocked: (status?: LockedStatus) => void = () => {}) {
    this.#token = token
    this.#onUnauthorized = onUnauthorized
    this.#onStorageUnavailable = onStorageUnavailable
    this.#onLocked = onLocked
    this.proof = new NodeProof(token)
  }

  get token (): string { return this.#token }

  /** The started node's status; a locked node's is reported to `onLocked` and refused like its other routes. */
  status = async (): Promise<NodeStatus> => {
    const answer = await this.#json<NodeStatus | LockedStatus>('GET', '/status')
    if (!('locked' in answer)) return answer
    this.#onLocked(answer)
    throw new ApiRequestError(423, 'NODE_LOCKED', 'causette is locked: it waits for the passphrase')
  }

  /** The passphrase of a locked node's profile: PASSPHRASE_WRONG leaves it locked. */
  unlock = async (passphrase: string): Promise<void> => { await this.#request('POST', UNLOCK_PATH, undefined, { passphrase }) }
  peers = async (): Promise<PeerView[]> => await this.#json('GET', '/peers')
  conversations = async (): Promise<ConversationView[]> => await this.#json('GET', '/conversations')
  messages = async (query: Partial<MessagesQuery>): Promise<MessageView[]> => await this.#json('GET', '/messages', query)
  /** Every 1:1 conversation and channel, best first (core/search). */
  search = async (q: string, limit?: number): Promise<SearchResults> => await this.#json('GET', '/search', { q, ...(limit !== undefined ? { limit } : {}) })
  /** `quote`: a reply with quote, to this message. */
  send = async (to: string, text: string, options: SendOptions = {}): Promise<MessageView> => await this.#json('POST', '/messages', undefined, { to, text, ...options })
  // Edits, deletions and reactions answer with the message as now shown (core/messaging/amendments.ts).
  editMessage = async (id: string, text: string): Promise<MessageView> => await this.#json('PATCH', messagePath(id), undefined, { text })
  deleteMessage = async (id: string): Promise<MessageView> => await this.#json('DELETE', messagePath(id), undefined, {})
  react = async (id: string, emoji: string, removed = false): Promise<MessageView> => await this.#json('POST', messagePath(id, removed ? '/reactions/remove' : '/reactions'), undefined, { emoji })
  presence = async (): Promise<PresenceView> => await this.#json('GET', '/presence')
  setPresence = async (update: PresenceUpdate): Promise<PresenceView> => await this.#json('PUT', '/presence', undefined, update)
  mute = async (request: MuteRequest): Promise<PresenceView> => await this.#json('POST', '/mute', undefined, request)
  reportActivity = async (): Promise<void> => { await this.#request('POST', '/presence/activity', undefined, {}) }
  /** The digests of held notifications not dismissed yet (kept by the node while no app was open). */
  digests = async (): Promise<DigestView[]> => await this.#json('GET', '/presence/digests')
  dismissDigest = async (id: string): Promise<void> => { await this.#request('POST', `/presence/digests/${encodeURIComponent(id)}/dismiss`, undefined, {}) }
  /** Start at login on (install from the program the node runs from) or off; the answer is the new state. */
  setStartAtLogin = async (enabled: boolean): Promise<AutostartView> => await this.#json('PUT', '/autostart', undefined, { enabled })
  settings = async (): Promise<SettingsView> => await this.#json('GET', '/settings')
  updateSettings = async (update: SettingsUpdate): Promise<SettingsView> => await this.#json('PATCH', '/settings', undefined, update)
  safetyNumber = async (peerId: string): Promise<SafetyNumberView> => await this.#json('GET', `/peers/${encodeURIComponent(peerId)}/safety-number`)
  trust = async (peerId: string): Promise<TrustView> => await this.#json('POST', `/peers/${encodeURIComponent(peerId)}/trust`, undefined, {})
  markRead = async (conversation: string): Promise<void> => { await this.#request('POST', '/read', undefined, { conversation }) }
  setName = async (name: string): Promise<void> => { await this.#request('PUT', '/profile', undefined, { name }) }
  photo = async (): Promise<ProfilePhoto | null> => (await this.#json<{ photo: ProfilePhoto | null }>('GET', '/profile/photo')).photo
  setPhoto = async (photo: ProfilePhoto): Promise<void> => { await this.#request('PUT', '/profile/photo', undefined, photo) }
  removePhoto = async (): Promise<void> => { await this.#request('DELETE', '/profile/photo', undefined, {}) }
  /** A colleague's photo as their node sent it and ours checked it (JPEG or WebP). */
  peerPhoto = async (peerId: string): Promise<Blob> => await (await this.#request('GET', `/peers/${encodeURIComponent(peerId)}/photo`)).blob()
  workspace = async (): Promise<WorkspaceView | null> => await this.#json('GET', '/workspace')
  createWorkspace = async (name: string): Promise<WorkspaceView> => await this.#json('POST', '/workspace', undefined, { name })
  /** `signal` aborted (the join screen's Cancel): the request ends, and the node stops trying. */
  joinWorkspace = async (code: string, signal?: AbortSignal): Promise<WorkspaceView> => await this.#json('POST', '/workspace/join', undefined, { code }, signal)
  createInvite = async (request: InviteRequest): Promise<InviteView> => await this.#json('POST', '/invites', undefined, request)
  previewInvite = async (code: string, signal?: AbortSignal): Promise<InvitePreview> => await this.#json('POST', '/workspace/join/preview', undefined, { code }, signal)
  listInvites = async (): Promise<InviteList> => await this.#json('GET', '/invites')
  revokeInvite = async (id: string): Promise<InviteListItem> => await this.#json('DELETE', `/invites/${encodeURIComponent(id)}`, undefined, {})
  removeMember = async (peerId: string): Promise<WorkspaceView> => await this.#json('POST', `/members/${encodeURIComponent(peerId)}/remove`, undefined, {})
  setMemberRole = async (peerId: string, role: Role): Promise<WorkspaceView> => await this.#json('POST', `/members/${encodeURIComponent(peerId)}/role`, undefined, { role })
  admission = async (): Promise<AdmissionView> => await this.#json('GET', '/workspace/admission')
  /** `step` on a desk that wants to join (admin): admit, confirm (the codes match) or decline. */
  admissionStep = async (peerId: string, step: 'admit' | 'confirm' | 'decline'): Promise<JoinRequestView> => await this.#json('POST', `/workspace/requests/${encodeURIComponent(peerId)}/${step}`, undefined, {})
  /** `step` on an admin's offer (a desk in no workspace): confirm (the codes match) or decline. */
  offerStep = async (peerId: string, step: 'confirm' | 'decline'): Promise<JoinOfferView> => await this.#json('POST', `/workspace/offers/${encodeURIComponent(peerId)}/${step}`, undefined, {})
  channels = async (): Promise<ChannelView[]> => await this.#json('GET', '/channels')
  createChannel = async (name: string, topic: string, open = false): Promise<ChannelView> => await this.#json('POST', '/channels', undefined, { name, topic, open })
  joinChannel = async (id: string): Promise<ChannelView> => await this.#json('POST', channelPath(id, '/join'), undefined, {})
  /** Sets the topic (any member) or archives (the owner only). */
  updateChannel = async (id: string, update: { topic?: string, archived?: true }): Promise<ChannelView> => await this.#json('PATCH', channelPath(id), undefined, update)
  /** Invites workspace members (PeerIds); they read what is sent from their joining on. */
  inviteToChannel = async (id: string, peers: string[]): Promise<ChannelView> => await this.#json('POST', channelPath(id, '/members'), undefined, { peers })
  // Every state-changing request is JSON, a DELETE too (core/api/guard.ts).
  removeFromChannel = async (id: string, peerId: string): Promise<ChannelView> => await this.#json('DELETE', channelPath(id, `/members/${encodeURIComponent(peerId)}`), undefined, {})
  leaveChannel = async (id: string): Promise<ChannelView> => await this.#json('POST', channelPath(id, '/leave'), undefined, {})
  channelMessages = async (id: string, query: ChannelMessagesPage = {}): Promise<ChannelMessageView[]> => await this.#json('GET', channelPath(id, '/messages'), query)
  sendToChannel = async (id: string, text: string, options: ChannelSendOptions = {}): Promise<ChannelMessageView> => await this.#json('POST', channelPath(id, '/messages'), undefined, { text, ...options })
  editChannelMessage = async (id: string, messageId: string, text: string): Promise<ChannelMessageView> => await this.#json('PATCH', channelPath(id, messagePath(messageId)), undefined, { text })
  deleteChannelMessage = async (id: string, messageId: string): Promise<ChannelMessageView> => await this.#json('DELETE', channelPath(id, messagePath(messageId)), undefined, {})
  reactInChannel = async (id: string, messageId: string, emoji: string, removed = false): Promise<ChannelMessageView> => await this.#json('POST', channelPath(id, messagePath(messageId, removed ? '/reactions/remove' : '/reactions')), undefined, { emoji })
  markChannelRead = async (id: string): Promise<void> => { await this.#request('POST', channelPath(id, '/read'), undefined, {}) }
  muteChannel = async (id: string, request: ChannelMute): Promise<ChannelView> => await this.#json('PUT', channelPath(id, '/mute'), undefined, request)

  updateStatus = async (): Promise<UpdateStatus> => await this.#json('GET', '/update')
  pauseUpdates = async (paused: boolean): Promise<UpdateStatus> => await this.#json('POST', '/update/pause', undefined, { paused })
  /** Hands the node a release bundle picked by the admin; the node checks it and answers with the status. */
  applyUpdate = async (file: Blob): Promise<UpdateStatus> => await (await this.#request('POST', UPDATE_APPLY_PATH, undefined, file)).json() as UpdateStatus

  // Files and images (docs/files.md): staged by upload, then named in a send.
  /** Uploads a file to send, or an image's preview (the raw bytes, with progress); `abort` stops it. */
  stageFile (file: Blob, { name, type, preview }: { name: string, type: string, preview: boolean }, onProgress: (progress: UploadProgress) => void): Upload<StagedFileView> {
    const controller = new AbortController()
    const done = (async () => {
      await proven(this.proof)
      const url = API_BASE + FILES_PATH + queryString({ name, type, ...preview ? { preview: true } : {} })
      const answer = await uploadFile({ url, token: this.#token, body: file, onProgress, signal: controller.signal }).catch((error: unknown) => {
        // As for fetch: whoever answers next must prove itself again.
        if (!(error instanceof UploadAbortedError)) this.proof.forget()
        throw error
      })
      if (answer.status >= 200 && answer.status < 300) return JSON.parse(answer.text) as StagedFileView
      if (answer.status === 401) this.#onUnauthorized()
      throw errorOfText(answer.status, answer.text)
    })()
    return { done, abort: () => { controller.abort() } }
  }

  dropStagedFile = async (id: string): Promise<void> => { await this.#request('DELETE', `${FILES_PATH}/${encodeURIComponent(id)}`, undefined, {}) }
  filesUsage = async (): Promise<FilesUsage> => await this.#json('GET', '/files')
  attachment = async (id: string): Promise<AttachmentView> => await this.#json('GET', attachmentPath(id))
  cancelAttachment = async (id: string): Promise<AttachmentView> => await this.#json('POST', attachmentPath(id, '/cancel'), undefined, {})
  retryAttachment = async (id: string): Promise<AttachmentView> => await this.#json('POST', attachmentPath(id, '/retry'), undefined, {})
  /** A single-use link (valid a minute) that the browser navigates to, so that its own download manager saves the file. */
  downloadTicket = async (id: string): Promise<string> => (await this.#json<{ url: string }>('POST', attachmentPath(id, '/download'), undefined, {})).url
  /** A held image (JPEG, PNG, WebP or GIF only: the node refuses any other type inline). */
  inlineImage = async (id: string): Promise<Blob> => await (await this.#request('GET', attachmentPath(id, '/content'), { inline: true })).blob()

  async exportJournal (conversation: string, redact: boolean): Promise<JournalFile> {
    const response = await this.#request('GET', '/journal/export', { conversation, redact })
    const disposition = response.headers.get('content-disposition') ?? ''
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'causette-journal.txt'
    return { blob: await response.blob(), filename }
  }

  async #json<T> (method: string, path: string, query?: Query, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.#request(method, path, query, body, signal)
    return await response.json() as T
  }

  async #request (method: string, path: string, query?: Query, body?: unknown, signal?: AbortSignal): Promise<Response> {
    await proven(this.proof)
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}` }
    // A file (a release bundle) goes as it is, with its own type; everything else is JSON.
    if (body !== undefined) headers['content-type'] = body instanceof Blob ? RELEASE_BUNDLE_TYPE : 'application/json'
    const response = await fetch(API_BASE + path + queryString(query), {
      method, headers, body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body), cache: 'no-store', ...(signal === undefined ? {} : { signal })
    }).catch((error: unknown) => {
      // Cancelled here: the node is as it was.
      if (signal?.aborted === true) throw error
      // The connection was lost: whoever answers next must prove itself again.
      this.proof.forget()
      throw nodeNotRunning(error)
    })
    if (response.ok) return response
    if (response.status === 401) this.#onUnauthorized()
    const error = await errorOf(response)
    if (error.code === 'STORAGE_UNAVAILABLE') this.#onStorageUnavailable()
    if (error.code === 'NODE_LOCKED') this.#onLocked()
    throw error
  }
}

/** A server that did not prove itself is reported like any refusal of the API. */
async function proven (proof: NodeProof): Promise<void> {
  try {
    await proof.proven()
  } catch (error) {
    if (error instanceof NotYourNodeError) throw new ApiRequestError(0, 'NOT_YOUR_NODE', error.message)
    throw nodeNotRunning(error)
  }
}

/** fetch rejects (a TypeError, "Failed to fetch") only when nobody answers: say so in plain words. */
function nodeNotRunning (error: unknown): unknown {
  return error instanceof TypeError ? new ApiRequestError(0, 'NODE_NOT_RUNNING', NODE_NOT_RUNNING) : error
}

/** A channel's resource path; ids are base64url, names may be anything. */
function channelPath (id: string, rest = ''): string {
  return `/channels/${encodeURIComponent(id)}${rest}`
}

/** An attachment's resource path (its id is hex). */
function attachmentPath (id: string, rest = ''): string {
  return `/attachments/${encodeURIComponent(id)}${rest}`
}

/** A message's resource path (1:1; under channelPath for a channel's). */
function messagePath (id: string, rest = ''): string {
  return `/messages/${encodeURIComponent(id)}${rest}`
}

function queryString (query: Query | undefined): string {
  if (query === undefined) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

async function errorOf (response: Response): Promise<ApiRequestError> {
  return errorOfText(response.status, await response.text().catch(() => ''), response.statusText)
}

function errorOfText (status: number, text: string, statusText = ''): ApiRequestError {
  try {
    const { error } = JSON.parse(text) as { error: { code: string, message: string } }
    return new ApiRequestError(status, error.code, error.message)
  } catch {
    return new ApiRequestError(status, 'HTTP_' + status, statusText)
  }
}
