// Asking a colleague for what we lack of its messages (catch-up.ts answers), once a connection is
// greeted. It serves one answer per peer at a time (one-answer-at-a-time.ts): a request that comes
// while an earlier answer to us is still on its way (say, sent on a connection a sleeping laptop left
// half open) is answered SYNC_BUSY, and asked again a little later, with what we hold by then, for as
// long as the connection is open: asked once, it was answered nothing until the next connection.
import { setTimeout as sleep } from 'node:timers/promises'
import { SYNC_INTERVAL_MS } from '../protocol/limits.js'
import type { ConversationHeads } from '../protocol/frames.js'

/** Times a busy peer is asked again on one connection: its answer is at most MAX_RESENT_PER_SYNC messages. */
export const MAX_BUSY_RETRIES = 60

/** What a peer answers a catch-up request: how many messages it sends again, or why not. */
export interface CatchUpAnswer { resent: number, errorCode: string }

export interface CatchUpRequest {
  /** One request on the connection (requestSync). */
  ask: (heads: ConversationHeads[]) => Promise<CatchUpAnswer>
  /** What we hold of the peer's messages now (CatchUp.heads). */
  heads: () => ConversationHeads[]
  /** Whether the connection is still open. */
  open: () => boolean
  retryMs?: number
}

/** Asks until the peer answers otherwise than SYNC_BUSY, or the connection closes; resolves with its last answer. */
export async function askUntilServed ({ ask, heads, open, retryMs = SYNC_INTERVAL_MS }: CatchUpRequest): Promise<CatchUpAnswer> {
  let answer = await ask(heads())
  for (let retries = 0; answer.errorCode === 'SYNC_BUSY' && retries < MAX_BUSY_RETRIES; retries++) {
    await sleep(retryMs)
    if (!open()) break
    answer = await ask(heads())
  }
  return answer
}
