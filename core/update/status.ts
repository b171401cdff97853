// What the update service says of itself: its own types, so that core/update needs nothing of the
// API. The API's schema (core/api/schema.ts: UpdateStatus, UpdateDownload, DeskVersion) describes
// the same shape; core/node/update-wiring.ts hands one to the other, so the compiler keeps them equal.

export interface DeskVersion {
  peerId: string
  name: string
  /** What this desk runs, as it last announced; null if not heard from since this node started. */
  version: string | null
  self: boolean
}

export interface UpdateDownload {
  target: string
  bytes: number
  size: number
  state: 'waiting' | 'fetching' | 'verified' | 'handed-over' | 'failed' | 'paused'
  /** The colleague it comes from now. */
  source?: string
  error?: string
}

export interface UpdateStatus {
  running: string
  target: string
  releaseKey: string
  installer: string
  paused: { by: string, name: string, at: number } | null
  release: { version: string, targets: string[], held: string[] } | null
  download: UpdateDownload | null
  newest: string
  onNewest: number
  desks: DeskVersion[]
}
