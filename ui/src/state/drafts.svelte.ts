// One unsent draft per conversation (keyed by the other person's PeerId, `channel:<id>` or
// `thread:<id>`), kept across reloads and shared by the app's tabs, and the last send of each that
// failed. A send is slower than typing: by the time it fails, the user may have typed anew there, or
// gone to another conversation. A failed send's id is kept with the drafts, across reloads, with what
// it composed besides its text (its quote, urgency and mentions, the names of its files): its retry,
// after a reload or once put back in the box, is the same message, answered with the one the node may
// have stored, never sent twice. Files cannot be kept across a reload (File objects): their names are,
// so that the composer asks for them again.
import type { QuotedDraft } from './amended.js'

const STORAGE_KEY = 'causette.drafts'
const ATTEMPTS_KEY = 'causette.send-attempts'

/** A send that failed: why in words, and its text when it could not go back in the box. */
export interface FailedSend { why: string, text?: string }

/**
 * A send's id (the API's `sendId`) and what it asked, in one string (its files by name, type and
 * size, which a file attached again after a reload keeps). The node may have stored the message
 * before the send failed (it stopped before answering): sent again unchanged, it answers that message
 * instead of sending it twice. The rest is what the composer shows again with the text after a reload.
 */
export interface SendAttempt {
  sendId: string
  request: string
  /** The text as the box showed it: the rest comes back only with that text. */
  shown: string
  quoted?: QuotedDraft
  /** Why it was urgent, if it was. */
  urgent?: string
  /** The colleagues chosen from the @ list, whose "@Name" goes as a mention. */
  mentions?: Array<{ peerId: string, name: string }>
  /** The names of its files, to be attached again after a reload. */
  files?: string[]
}

export class Drafts {
  #byPeer = $state<Record<string, string>>(load())
  /** Kept for this page only: told in the conversation whose send failed, wherever the user was then. */
  #failed = $state<Record<string, FailedSend>>({})
  /**
   * The page is being left (a reload, a link): a send the unload cuts short was most likely received
   * by the node already; put back as a draft, it would be sent twice. Nothing is written after that.
   */
  #leaving = false
  /** The boxes whose kept attempt was given back since it failed: not again, over what the user changed since. */
  #restored = new Set<string>()
  /** The boxes whose attempt failed in this page: their files are still attached there, or were taken out. */
  #failedHere = new Set<string>()

  constructor () {
    addEventListener('pagehide', () => { this.#leaving = true })
    addEventListener('pageshow', () => { this.#leaving = false })
    // Another tab of the app (each double-click of causette opens one) typed: its drafts show here too.
    addEventListener('storage', event => { if (event.key === STORAGE_KEY) this.#byPeer = load() })
  }

  get (peerId: string): string {
    return this.#byPeer[peerId] ?? ''
  }

  /** Changes this draft alone: what another tab stored for other conversations since stays. */
  set (peerId: string, text: string): void {
    const stored = load()
    if (text === '') delete stored[peerId]
    else stored[peerId] = text
    localStorage.setItem(STORAGE_KEY, JSON.stringify(stored))
    this.#byPeer = stored
    // The box emptied (a send starts, or the user gave the text up): its failed send's id is of no
    // use, unless the failure still holds that text to put back. Kept, it would later take a new
    // message of the same words for that send's retry.
    if (text === '' && this.#failed[peerId]?.text === undefined) keepAttempt(peerId, undefined)
  }

  /** Why the last send of this draft failed, until the next one. */
  failure (key: string): FailedSend | undefined {
    return this.#failed[key]
  }

  /** A send of this draft starts, or its unsent text was put back: the failure is no longer news. */
  dismissFailure (key: string): void {
    delete this.#failed[key]
  }

  /**
   * The send of `text` failed: it goes back in its own box if nothing was typed there since (a newer
   * draft is never overwritten; the failure then holds the text), and the failure is told there.
   * `attempt` is kept with the drafts, for a retry of the same request, even after a reload.
   */
  failed (key: string, text: string, why: string, attempt?: SendAttempt): void {
    if (this.#leaving) return
    const backInBox = this.get(key) === ''
    this.#failed[key] = { why, ...(backInBox ? {} : { text }) }
    if (backInBox) this.set(key, text)
    if (attempt !== undefined) keepAttempt(key, attempt)
    // The box's composer may be gone (the user is in another conversation): the next one shows it.
    this.#restored.delete(key)
    this.#failedHere.add(key)
  }

  /**
   * The failed send that box `key` holds from before a reload, when the box shows its text `shown`:
   * its quote, urgency, mentions and files' names (only after a reload, which lost them), to show
   * again. Once per box until a send of it fails again.
   */
  restore (key: string, shown: string): SendAttempt | undefined {
    if (this.#restored.has(key)) return undefined
    this.#restored.add(key)
    const attempt = keptAttempt(loadAttempts()[key])
    if (attempt?.shown !== shown) return undefined
    if (!this.#failedHere.has(key)) return attempt
    const { files: _stillAttached, ...rest } = attempt
    return rest
  }

  /** The sendId for a send of `request` from this box: the failed send's if it asked the same, else a new one. */
  sendIdFor (key: string, request: string): string {
    const retry = loadAttempts()[key]
    return retry !== undefined && retry.request === request ? retry.sendId : crypto.randomUUID()
  }
}

/** Keeps (or, undefined, forgets) the failed send of the box `key`, beside the others'. */
function keepAttempt (key: string, attempt: SendAttempt | undefined): void {
  const attempts = loadAttempts()
  if (attempt === undefined && attempts[key] === undefined) return
  if (attempt === undefined) delete attempts[key]
  else attempts[key] = attempt
  try {
    localStorage.setItem(ATTEMPTS_KEY, JSON.stringify(attempts))
  } catch { /* storage full or private mode: the retry gets a new sendId, as before a reload */ }
}

/** A kept attempt as the composer may show it again: anything else in its place (an older form, an edit by hand) gives nothing back. */
function keptAttempt (value: unknown): SendAttempt | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { sendId, request, shown, quoted, urgent, mentions, files } = value as Record<string, unknown>
  if (typeof sendId !== 'string' || typeof request !== 'string' || typeof shown !== 'string') return undefined
  const texts = (list: unknown): list is string[] => Array.isArray(list) && list.every(item => typeof item === 'string')
  const isQuote = (quote: unknown): quote is QuotedDraft => typeof quote === 'object' && quote !== null && ['id', 'authorName', 'text'].every(field => typeof (quote as Record<string, unknown>)[field] === 'string')
  const isMention = (mention: unknown): mention is { peerId: string, name: string } => typeof mention === 'object' && mention !== null && typeof (mention as Record<string, unknown>).peerId === 'string' && typeof (mention as Record<string, unknown>).name === 'string'
  return {
    sendId,
    request,
    shown,
    ...(isQuote(quoted) ? { quoted: { id: quoted.id, authorName: quoted.authorName, text: quoted.text } } : {}),
    ...(typeof urgent === 'string' ? { urgent } : {}),
    ...(Array.isArray(mentions) && mentions.every(isMention) ? { mentions: mentions.map(({ peerId, name }) => ({ peerId, name })) } : {}),
    ...(texts(files) ? { files } : {})
  }
}

function load (): Record<string, string> { return loadRecord(STORAGE_KEY) }
function loadAttempts (): Record<string, SendAttempt> { return loadRecord(ATTEMPTS_KEY) }

/** The object stored as JSON under `key`, per box; nothing readable there is none. */
function loadRecord<V> (key: string): Record<string, V> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? '{}')
    return typeof value === 'object' && value !== null ? value as Record<string, V> : {}
  } catch {
    return {}
  }
}
