// What waits parked (a group message whose channel log or sender key has not reached us) may take
// of our disk: per channel, per peer that handed it to us (its author, a carrier, a member serving
// catch-up), and from everyone together. Nobody can read a parked message yet, not even to check its
// signature, so these bounds are all that stands between a hostile member and a full disk.
import { MAX_PARKED_PER_CHANNEL, MAX_PARKED_PER_PEER, MAX_PARKED_TOTAL } from '../protocol/limits.js'

interface Parked { channel: string, from: string, bytes: number }
interface Tally { messages: number, bytes: number }

export class ParkedBudget {
  readonly #parked = new Map<string, Parked>()
  readonly #perChannel = new Map<string, number>()
  readonly #perPeer = new Map<string, Tally>()
  readonly #total: Tally = { messages: 0, bytes: 0 }

  has (key: string): boolean { return this.#parked.has(key) }

  /** Why a message of `bytes` from `from` may not be parked in `channel` now; undefined if it may. */
  refusal (channel: string, from: string, bytes: number): string | undefined {
    if ((this.#perChannel.get(channel) ?? 0) >= MAX_PARKED_PER_CHANNEL) return 'too many messages wait for their sender key in this channel'
    const peer = this.#perPeer.get(from) ?? { messages: 0, bytes: 0 }
    if (peer.messages >= MAX_PARKED_PER_PEER.messages || peer.bytes + bytes > MAX_PARKED_PER_PEER.bytes) return 'too many messages from this peer wait for a channel log or sender key we do not hold'
    if (this.#total.messages >= MAX_PARKED_TOTAL.messages || this.#total.bytes + bytes > MAX_PARKED_TOTAL.bytes) return 'too many messages wait for a channel log or sender key'
    return undefined
  }

  add (key: string, parked: Parked): void {
    if (this.#parked.has(key)) return
    this.#parked.set(key, parked)
    this.#count(parked, 1)
  }

  remove (key: string): void {
    const parked = this.#parked.get(key)
    if (parked === undefined) return
    this.#parked.delete(key)
    this.#count(parked, -1)
  }

  #count ({ channel, from, bytes }: Parked, sign: 1 | -1): void {
    const inChannel = (this.#perChannel.get(channel) ?? 0) + sign
    if (inChannel > 0) this.#perChannel.set(channel, inChannel)
    else this.#perChannel.delete(channel)
    const peer = this.#perPeer.get(from) ?? { messages: 0, bytes: 0 }
    peer.messages += sign
    peer.bytes += sign * bytes
    if (peer.messages > 0) this.#perPeer.set(from, peer)
    else this.#perPeer.delete(from)
    this.#total.messages += sign
    this.#total.bytes += sign * bytes
  }
}
