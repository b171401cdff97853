// How a person looks wherever they appear: their colour, their photo and their presence, ours included.
import type { PresenceStatus } from '../../../core/api/schema.js'
import type { AppState } from '../state/app.svelte.js'
import { statusIn } from '../state/presence.svelte.js'

const FALLBACK_COLOR = '#5b6270'

export function colorOf (app: AppState, peerId: string): string {
  if (peerId === app.me?.peerId) return app.me.color
  return app.people.get(peerId)?.color ?? FALLBACK_COLOR
}

/** Our own photo, or a colleague's as our node holds it: a URL for <img>, undefined for initials. */
export function photoOf (app: AppState, peerId: string): string | undefined {
  if (peerId === app.me?.peerId) return app.photo.url
  return app.peerPhotos.url(peerId, app.people.get(peerId)?.photo ?? null)
}

/** How an avatar draws a person: their colour, and their photo's URL (undefined: their initials). */
export interface AvatarLook { color: string, photo: string | undefined }

/** `colorOf` and `photoOf` together, for a component that has no app (the composer's @ list). */
export function avatarLookOf (app: AppState): (peerId: string) => AvatarLook {
  return (peerId) => ({ color: colorOf(app, peerId), photo: photoOf(app, peerId) })
}

/**
 * Our own status as we set it; a colleague's as their node last told ours (offline if unknown): in
 * a channel (its `conversation`), their exception for it if any, else their general status.
 */
export function statusOf (app: AppState, peerId: string, conversation: string | undefined): PresenceStatus {
  if (peerId === app.me?.peerId) return app.presence.status
  const presence = app.people.get(peerId)?.presence
  if (presence === undefined) return 'offline'
  return conversation === undefined ? presence.general ?? presence.status : statusIn(presence, conversation)
}
