// What one member's channels and channel entries may take of us. Every channel log we hold is kept
// in memory and on disk for good, journaled, replicated and folded at each change, and a member
// signs as many entries (and creates as many channels) as it likes: past the bounds of limits.ts,
// far above what a person does, the channel or the entry is refused with CHANNEL_LIMIT. A refused
// entry is not held, so an entry that names it waits for it for good: only a flood loses that.
import type { ChannelLog } from '../../crypto/channel-log.js'
import { parseChannelEntry } from '../../crypto/channel-entry.js'
import { toBase64 } from '../../crypto/encoding.js'
import type { SignedEntry } from '../../crypto/membership-log.js'
import { CausetteError } from '../errors.js'
import { MAX_CHANNEL_ENTRIES_PER_SIGNER, MAX_CHANNELS_PER_CREATOR } from '../protocol/limits.js'
import type { ChannelStore } from './store.js'

const { perChannel, inAll } = MAX_CHANNEL_ENTRIES_PER_SIGNER

export function channelLimit (message: string): CausetteError {
  return new CausetteError('CHANNEL_LIMIT', message)
}

/** Throws CHANNEL_LIMIT when `creator` already created as many channels as we hold of one member. */
export function checkChannelsOf (store: ChannelStore, creator: Uint8Array): void {
  const key = toBase64(creator)
  const created = store.all().filter(h => toBase64(h.log.state().creator) === key).length
  if (created >= MAX_CHANNELS_PER_CREATOR) throw channelLimit(`${MAX_CHANNELS_PER_CREATOR} channels of this member are held here already`)
}

/** Throws CHANNEL_LIMIT when `signer` may not add one more entry to `log`. */
export function checkOneMore (store: ChannelStore, log: ChannelLog, signer: Uint8Array): void {
  if (withinBudget(store, log, [signer]).over) throw channelLimit(`${perChannel} changes to this channel, or ${inAll} to all, by one device`)
}

/**
 * The entries of `log` (undefined: a channel we do not hold yet) whose signers stay within their
 * bounds, in the order given, and whether any were left out. Unreadable entries are kept: the log
 * refuses them with their own code.
 */
export function entriesWithinBudget (store: ChannelStore, log: ChannelLog | undefined, entries: SignedEntry[]): { kept: SignedEntry[], over: boolean } {
  const { keep, over } = withinBudget(store, log, entries.map(signerOf))
  return { kept: entries.filter((_, at) => keep[at]), over }
}

function signerOf (entry: SignedEntry): Uint8Array | undefined {
  try { return parseChannelEntry(entry.bytes).signer } catch { return undefined }
}

/** Which entries, by their signers, fit: each signer's count in `log` and in every channel held, plus those kept before it. */
function withinBudget (store: ChannelStore, log: ChannelLog | undefined, signers: Array<Uint8Array | undefined>): { keep: boolean[], over: boolean } {
  const counts = new Map<string, { here: number, all: number }>()
  const countOf = (signer: Uint8Array): { here: number, all: number } => {
    const key = toBase64(signer)
    let count = counts.get(key)
    if (count === undefined) {
      count = { here: log?.signedBy(signer) ?? 0, all: store.all().reduce((sum, h) => sum + h.log.signedBy(signer), 0) }
      counts.set(key, count)
    }
    return count
  }
  let over = false
  const keep = signers.map(signer => {
    if (signer === undefined) return true
    const count = countOf(signer)
    if (count.here >= perChannel || count.all >= inAll) {
      over = true
      return false
    }
    count.here++
    count.all++
    return true
  })
  return { keep, over }
}
