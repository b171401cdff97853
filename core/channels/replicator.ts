// Keeps the channel logs level between members: on every connection, after every change of ours
// (to the members it concerns, the invitee and the removed included) and after every change a peer
// brought (so that it spreads to members the author is not connected to). One exchange per peer at
// a time; a request made meanwhile runs once more after it.
import type { Connection, Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { equals } from '../../crypto/encoding.js'
import { exchangeChannels, type ChannelReplica } from '../protocol/channel-protocol.js'
import { CHANNEL_PUSH_DELAY_MS, MAX_CHANNEL_ENTRIES_PER_FRAME, MAX_CHANNEL_HEADS, MAX_CHANNELS_PER_PEER } from '../protocol/limits.js'
import type { ChannelEntries, ChannelTip } from '../protocol/frames.js'
import type { ChannelMembership } from './membership.js'
import { deviceOfPeer } from './catch-up.js'
import type { ChannelStore, HeldChannel } from './store.js'

/**
 * Whether the channel's log concerns this device: every member of the workspace for an open channel
 * (its announcement), else a member, or one who left or was removed (it learns so).
 */
function concerns (held: HeldChannel, device: Uint8Array): boolean {
  const state = held.log.state()
  return state.open || state.members.some(m => equals(m.device, device)) || state.departures.some(d => equals(d.device, device))
}

export class ChannelReplicator implements ChannelReplica {
  private readonly running = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()
  private readonly scheduled = new Set<string>()
  private stopped = false

  constructor (
    private readonly host: Pick<Libp2p, 'getConnections'>,
    private readonly store: ChannelStore,
    private readonly membership: Pick<ChannelMembership<unknown>, 'receive'>,
    private readonly allowed: (peer: string) => boolean,
    private readonly log: (format: string, ...args: unknown[]) => void
  ) {}

  /**
   * Within the bounds a peer reads a tips frame by (past them it refuses the frame, and the whole
   * exchange with it): the channels with the longest logs, the newest heads. The peer sends a
   * channel we leave out whole, and the entries a head we leave out has after the others: entries
   * we hold, which we skip.
   */
  tips (peer: string): ChannelTip[] {
    const device = deviceOfPeer(peer)
    if (device === undefined) return []
    const named = this.store.all().filter(h => concerns(h, device))
    if (named.length > MAX_CHANNELS_PER_PEER) named.sort((a, b) => b.log.size - a.log.size).splice(MAX_CHANNELS_PER_PEER)
    return named.map(h => ({ channel: h.log.channelId, heads: h.log.heads().slice(-MAX_CHANNEL_HEADS) as Array<Uint8Array<ArrayBuffer>> }))
  }

  lacking (peer: string, theirs: ChannelTip[]): ChannelEntries[] {
    const device = deviceOfPeer(peer)
    if (device === undefined) return []
    const named = new Map(theirs.map(t => [t.channel, t.heads]))
    const frames: ChannelEntries[] = []
    for (const held of this.store.all()) {
      if (!concerns(held, device)) continue
      const missing = held.log.missingFor(named.get(held.log.channelId) ?? [])
      for (let i = 0; i < missing.length; i += MAX_CHANNEL_ENTRIES_PER_FRAME) {
        const entries = missing.slice(i, i + MAX_CHANNEL_ENTRIES_PER_FRAME).map(e => ({ entry: e.bytes as Uint8Array<ArrayBuffer>, signature: e.signature as Uint8Array<ArrayBuffer> }))
        frames.push({ channel: held.log.channelId, entries, done: false, errorCode: '', errorMessage: '' })
      }
    }
    return frames
  }

  async receive (_peer: string, frame: ChannelEntries): Promise<unknown> {
    return await this.membership.receive(frame.channel, frame.entries.map(e => ({ bytes: e.entry, signature: e.signature })))
  }

  refused (peer: string, code: string, message: string): void {
    this.log('channels exchange with %s: %s %s', peer, code, message)
  }

  /** Exchanges with every connected peer the channel concerns. */
  replicate (channel: string): void {
    const held = this.store.get(channel)
    if (held === undefined) return
    for (const peer of this.connectedPeers()) {
      const device = deviceOfPeer(peer)
      if (device !== undefined && concerns(held, device)) this.schedule(peer)
    }
  }

  /** Changes made together (a burst of invites) share one exchange per peer. */
  private schedule (peer: string): void {
    if (this.scheduled.has(peer)) return
    this.scheduled.add(peer)
    setTimeout(() => { this.scheduled.delete(peer); this.sync(peer) }, CHANNEL_PUSH_DELAY_MS).unref()
  }

  /** Exchanges with `peer` if connected. */
  sync (peer: string): void {
    if (this.stopped || !this.allowed(peer)) return
    if (this.running.has(peer)) { this.again.add(peer); return }
    const connection = this.connectionTo(peer)
    if (connection === undefined) return
    const run = exchangeChannels(connection, this)
      .then(() => {}, error => { this.log('channels exchange with %s failed: %e', peer, error) })
      .finally(() => {
        this.running.delete(peer)
        if (this.again.delete(peer)) this.sync(peer)
      })
    this.running.set(peer, run)
  }

  async stop (): Promise<void> {
    this.stopped = true
    await Promise.allSettled([...this.running.values()])
  }

  private connectedPeers (): string[] {
    return [...new Set(this.host.getConnections().filter(c => c.status === 'open').map(c => c.remotePeer.toString()))]
  }

  private connectionTo (peer: string): Connection | undefined {
    return this.host.getConnections(peerIdFromString(peer)).find(c => c.status === 'open')
  }
}

