// A channel log's entries (docs/channels.md), as exact text bytes like the membership log's: the
// purpose label line, then `field: value` lines in a fixed order for each kind. Entries form a DAG:
// each names the hashes of the entries its signer held as heads (`parents`) and a Lamport clock one
// above theirs. Bytes are signed and hashed as they are, never re-serialised; `encodeChannelEntry`
// refuses to produce what `parseChannelEntry` would refuse to read. Pure: no Node imports.
import { CodedError } from './coded-error.js'
import { equals, fromUtf8, parseBase64, toBase64, utf8 } from './encoding.js'
import { purposeLabel } from './signing-labels.js'

export const CHANNEL_LABEL = purposeLabel('channel')
export const CHANNEL_ENTRY_KINDS = ['create', 'invite', 'remove', 'leave', 'topic', 'archive', 'open', 'join'] as const
export type ChannelEntryKind = typeof CHANNEL_ENTRY_KINDS[number]
export const MAX_CHANNEL_ENTRY_BYTES = 4096
/** Most parents an entry names; a signer holding more heads names the newest (the others merge later). */
export const MAX_PARENTS = 32
export const MAX_TOPIC_LENGTH = 256
/**
 * Times a device may leave a channel (or be removed) and come back: past them its join or invite
 * has no effect. Each departure costs every later fold of the log a check per entry of its device
 * and may make it fold again: a member joining and leaving a channel a thousand times froze every
 * node holding it for seconds at each change. Nobody leaves and comes back 64 times.
 */
export const MAX_DEPARTURES = 64
/** Most chains a departure names: the chains a receiver keeps per sender (DEFAULT_SENDER_KEY_LIMITS.maxChainsPerSender). */
export const MAX_DEPARTURE_CHAINS = 5
/** A sender-key chain id's length in bytes (crypto/e2e/sender-key.ts, CHAIN_ID_BYTES). */
const CHAIN_ID_BYTES = 16
const MAX_ITERATION = 0xffffffff

/**
 * One of the departing device's sender-key chains a departure names, and the first iteration of it
 * the signer had not received (for a leave, had not sent): after the departure, that device's group
 * messages are taken only on a named chain, below its `next` (docs/channels.md, "Posting ends at the departure").
 */
export interface DepartureChain { chainId: Uint8Array, next: number }

interface ChannelEntryHead {
  /** The channel id (base64url of the create entry's hash); null in the create entry alone. */
  channel: string | null
  /** Hashes of the entries this one follows, in ascending base64 order; empty for the create entry. */
  parents: Uint8Array[]
  /** Lamport clock: 0 for the create entry, else one more than the highest of its parents'. */
  clock: number
  /** Ed25519 device key that signed the entry. */
  signer: Uint8Array
  /** Unix time in milliseconds, by the signer's clock: shown, never used to order. */
  time: number
}

export type ChannelEntryBody =
  /** The signer creates the channel in `workspace` (a workspace id) and is its first member; `nonce` makes each channel's id unique. */
  | { kind: 'create', workspace: string, name: string, topic: string, nonce: Uint8Array }
  | { kind: 'invite', device: Uint8Array }
  /**
   * By the owner, of another member (a member's own departure is a leave). `chains`, when present
   * (empty: none), bounds the device's group messages after it; absent (older entries), nothing does.
   */
  | { kind: 'remove', device: Uint8Array, chains?: DepartureChain[] }
  /** `chains`: the signer's own chains, as in a removal. */
  | { kind: 'leave', chains?: DepartureChain[] }
  | { kind: 'topic', topic: string }
  | { kind: 'archive' }
  /** By the creator, right after the create entry (clock 1): any member of the workspace may join. */
  | { kind: 'open' }
  /** The signer makes itself a member: held only in an open channel (an open entry among its ancestors). */
  | { kind: 'join' }

export type ChannelEntry = ChannelEntryHead & ChannelEntryBody

export const CHANNEL_ERROR_CODES = [
  // An entry that is refused outright (never stored):
  'CHANNEL_BAD_ENTRY', // unparsable, oversized, or a field out of its rules
  'CHANNEL_BAD_SIGNATURE', // the signature is not the signer's
  'CHANNEL_WRONG_CHANNEL', // an entry of another channel (or a second create entry)
  'CHANNEL_MISSING_PARENT', // a parent we do not hold yet: fetch it, then add again
  'CHANNEL_BAD_CLOCK', // a clock other than one above its parents' highest
  'CHANNEL_NOT_INVITED', // its signer was made a member by no create or invite among its ancestors
  // An entry that is held (others may name it as a parent) but has no effect, at its place in the order:
  'CHANNEL_NOT_MEMBER', // the signer is not a member there (or the member removed is not one)
  'CHANNEL_NOT_OWNER', // a removal or archive by someone other than the owner
  'CHANNEL_ALREADY_MEMBER', // an invite of a member
  'CHANNEL_ARCHIVED', // anything after the archive entry
  'CHANNEL_REMOVED_CONCURRENTLY', // by a member whose removal or leave it does not follow (nor precede)
  'CHANNEL_TOO_MANY_RETURNS', // a join or invite of a device that left or was removed MAX_DEPARTURES times already
  // A group message refused by the log's rule (ChannelLog.postRefusal):
  'CHANNEL_SENT_AFTER_DEPARTURE' // by a device removed (or gone) before it: not on a chain its departure names, below the iteration named
] as const
export type ChannelErrorCode = typeof CHANNEL_ERROR_CODES[number]

export class ChannelError extends CodedError<ChannelErrorCode> {
  override name = 'ChannelError'
}

export function channelFail (code: ChannelErrorCode, message: string): never {
  throw new ChannelError(code, `channel: ${message}`)
}

function badEntry (why: string): never {
  return channelFail('CHANNEL_BAD_ENTRY', why)
}

/** One printable line (no control or line separator characters) of at most `max` characters. */
function isLine (text: string, min: number, max: number): boolean {
  // eslint-disable-next-line no-control-regex
  return [...text].length >= min && [...text].length <= max && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(text) && text.trim() === text
}

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/
const INTEGER_PATTERN = /^(0|[1-9][0-9]{0,15})$/

/** A field: its property, how it is written, and how it is read back (undefined: refused). */
interface Field { prop: string, write: (value: never) => string, read: (text: string) => unknown, what: string }
const field = <T>(prop: string, write: (value: T) => string, read: (text: string) => T | undefined, what: string): Field =>
  ({ prop, write: write as (value: never) => string, read, what })

const key = (prop: string): Field => field(prop, toBase64, t => parseBase64(t, 32), 'a base64 32-byte key')
const integer = (prop: string): Field => field<number>(prop, String, t => INTEGER_PATTERN.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : undefined, 'an integer')
const id = (prop: string, absent: boolean): Field => field<string | null>(prop, v => v ?? 'none', t => t === 'none' ? (absent ? null : undefined) : ID_PATTERN.test(t) ? t : undefined, 'a base64url id of 43 characters')

function readParents (text: string): Uint8Array[] | undefined {
  if (text === 'none') return []
  const parts = text.split(',')
  if (parts.length > MAX_PARENTS || parts.some((p, i) => i > 0 && p <= parts[i - 1]!)) return undefined
  const hashes = parts.map(p => parseBase64(p, 32))
  return hashes.every(h => h !== undefined) ? hashes as Uint8Array[] : undefined
}

const chainText = (chain: DepartureChain): string => `${toBase64(chain.chainId)}:${chain.next}`

/** `none`, or 1 to MAX_DEPARTURE_CHAINS `chain id:next` pairs in ascending order of their text, comma-separated. */
function writeChains (chains: DepartureChain[]): string {
  return chains.length === 0 ? 'none' : chains.map(chainText).sort().join(',')
}

function readChains (text: string): DepartureChain[] | undefined {
  if (text === 'none') return []
  const parts = text.split(',')
  if (parts.length > MAX_DEPARTURE_CHAINS || parts.some((p, i) => i > 0 && p <= parts[i - 1]!)) return undefined
  const chains = parts.map(part => {
    const [id, next, extra] = part.split(':')
    const chainId = parseBase64(id ?? '', CHAIN_ID_BYTES)
    const iteration = INTEGER_PATTERN.test(next ?? '') ? Number(next) : undefined
    return extra !== undefined || chainId === undefined || iteration === undefined || iteration > MAX_ITERATION ? undefined : { chainId, next: iteration }
  })
  // Two pairs of one chain would name two bounds for it.
  const ids = new Set(chains.map(c => c === undefined ? '' : toBase64(c.chainId)))
  return chains.every(c => c !== undefined) && ids.size === chains.length ? chains as DepartureChain[] : undefined
}

const FIELDS: Record<string, Field> = {
  kind: field<string>('kind', String, t => (CHANNEL_ENTRY_KINDS as readonly string[]).includes(t) ? t : undefined, 'a known kind'),
  channel: id('channel', true),
  parents: field<Uint8Array[]>('parents', v => v.length === 0 ? 'none' : v.map(toBase64).join(','), readParents, `none, or 1 to ${MAX_PARENTS} base64 hashes in ascending order, comma-separated`),
  clock: integer('clock'),
  signer: key('signer'),
  time: integer('time'),
  workspace: id('workspace', false),
  name: field<string>('name', String, t => isLine(t, 1, 64) ? t : undefined, 'one line of 1 to 64 printable characters'),
  topic: field<string>('topic', String, t => isLine(t, 0, MAX_TOPIC_LENGTH) ? t : undefined, `one line of at most ${MAX_TOPIC_LENGTH} printable characters`),
  nonce: field('nonce', toBase64, t => parseBase64(t, 16), 'a base64 16-byte nonce'),
  device: key('device'),
  chains: field<DepartureChain[]>('chains', writeChains, readChains, `none, or 1 to ${MAX_DEPARTURE_CHAINS} "base64 16-byte chain id:iteration" pairs in ascending order, comma-separated`)
}

const HEAD = ['kind', 'channel', 'parents', 'clock', 'signer', 'time']
const BODY: Record<ChannelEntryKind, string[]> = {
  create: ['workspace', 'name', 'topic', 'nonce'],
  invite: ['device'],
  remove: ['device'],
  leave: [],
  topic: ['topic'],
  archive: [],
  open: [],
  join: []
}
/** Lines a kind may end with, or not: a departure's `chains` (entries before it have none). */
const OPTIONAL: Partial<Record<ChannelEntryKind, string[]>> = { remove: ['chains'], leave: ['chains'] }

/** The lines of an entry of `kind`: the head, its body, then those of its optional lines that `present` says are there. */
function linesOf (kind: ChannelEntryKind, present: (name: string) => boolean): string[] {
  return [...HEAD, ...BODY[kind], ...(OPTIONAL[kind] ?? []).filter(present)]
}

export function encodeChannelEntry (entry: ChannelEntry): Uint8Array {
  const value = entry as unknown as Record<string, unknown>
  const lines = [CHANNEL_LABEL]
  for (const name of linesOf(entry.kind, name => value[FIELDS[name]!.prop] !== undefined)) {
    const f = FIELDS[name]!
    if (value[f.prop] === undefined) badEntry(`${name} is missing`)
    lines.push(`${name}: ${f.write(value[f.prop] as never)}`)
  }
  const bytes = utf8(lines.join('\n') + '\n')
  parseChannelEntry(bytes)
  return bytes
}

export function parseChannelEntry (bytes: Uint8Array): ChannelEntry {
  if (bytes.length > MAX_CHANNEL_ENTRY_BYTES) badEntry(`over ${MAX_CHANNEL_ENTRY_BYTES} bytes`)
  let text: string
  try { text = fromUtf8(bytes) } catch { badEntry('not UTF-8') }
  if (!text.endsWith('\n')) badEntry('must end with a newline')
  const lines = text.slice(0, -1).split('\n')
  if (lines[0] !== CHANNEL_LABEL) badEntry(`first line must be ${CHANNEL_LABEL}`)
  const value: Record<string, unknown> = {}
  let names = HEAD
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    const line = lines[i + 1]
    if (line === undefined || !line.startsWith(`${name}: `)) badEntry(`line ${i + 2} must be "${name}"`)
    const f = FIELDS[name]!
    const read = f.read(line.slice(name.length + 2))
    if (read === undefined) badEntry(`${name} must be ${f.what}`)
    value[f.prop] = read
    if (i === 0) {
      const kind = read as ChannelEntryKind
      // The optional lines are after the body's, in their order: one there is read like the others.
      const rest = lines.slice(1 + HEAD.length + BODY[kind].length)
      names = linesOf(kind, name => rest.some(line => line.startsWith(`${name}: `)))
    }
  }
  if (lines.length !== names.length + 1) badEntry(`expected ${names.length} fields`)
  const entry = value as unknown as ChannelEntry
  const root = entry.kind === 'create'
  if (root !== (entry.channel === null) || root !== (entry.parents.length === 0) || root !== (entry.clock === 0)) {
    badEntry('the create entry, and only it, has no channel, no parents and clock 0')
  }
  if (entry.kind === 'remove' && equals(entry.device, entry.signer)) badEntry('a member leaves with a leave entry, not a removal')
  if (entry.kind === 'open' && entry.clock !== 1) badEntry('an open entry follows the create entry alone (clock 1)')
  return entry
}
