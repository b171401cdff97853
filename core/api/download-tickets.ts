// Single-use download links. The app authenticates with a header, which a browser's download
// manager cannot send; so the app asks for a ticket (with its token) and navigates to
// GET /downloads/{ticket}. The ticket is 256 random bits, good once and for a minute: a link that
// leaks into history or a log is spent or stale. The guard still checks Host and Origin on it.
import { randomBytes } from 'node:crypto'

export const TICKET_LIFETIME_MS = 60_000
/** Unused tickets kept at most; the oldest goes first (an app asks for one per click). */
const MAX_OPEN_TICKETS = 256
/** 32 bytes in base64url without padding. */
export const TICKET_PATTERN = /^[A-Za-z0-9_-]{43}$/

export interface IssuedTicket {
  ticket: string
  expires: number
}

export class DownloadTickets {
  /** ticket -> the attachment it opens and when it stops; a Map keeps insertion order, oldest first. */
  private readonly open = new Map<string, { attachment: string, expires: number }>()

  constructor (private readonly now: () => number = Date.now) {}

  issue (attachment: string): IssuedTicket {
    this.dropExpired()
    while (this.open.size >= MAX_OPEN_TICKETS) this.open.delete(this.open.keys().next().value!)
    const ticket = randomBytes(32).toString('base64url')
    const expires = this.now() + TICKET_LIFETIME_MS
    this.open.set(ticket, { attachment, expires })
    return { ticket, expires }
  }

  /** The attachment a ticket opens, spending it; undefined if unknown, spent or expired. */
  redeem (ticket: string): string | undefined {
    const entry = this.open.get(ticket)
    this.open.delete(ticket)
    return entry !== undefined && entry.expires > this.now() ? entry.attachment : undefined
  }

  private dropExpired (): void {
    const now = this.now()
    for (const [ticket, { expires }] of this.open) if (expires <= now) this.open.delete(ticket)
  }
}

/** One ticket book per node: the route table is shared, each served node has its own tickets. */
const booksByNode = new WeakMap<object, DownloadTickets>()

export function ticketsOf (node: object): DownloadTickets {
  let book = booksByNode.get(node)
  if (book === undefined) booksByNode.set(node, book = new DownloadTickets())
  return book
}
