// Changes of a channel's membership log: our own (create, invite, join, remove, leave, topic, archive),
// signed, stored and journaled in one batch, then pushed to the members; and those that peers send
// (replication), verified and added in any order. The log's rules are crypto/channel-log.ts's.
import { ChannelLog, createChannel } from '../../crypto/channel-log.js'
import { ChannelError, parseChannelEntry, type ChannelEntryBody } from '../../crypto/channel-entry.js'
import { equals, toBase64 } from '../../crypto/encoding.js'
import type { SignedEntry } from '../../crypto/membership-log.js'
import { CausetteError } from '../errors.js'
import type { ChannelContext } from './context.js'
import { peerIdOf, requireChannel } from './context.js'
import { chainsReceivedFrom, chainsWeSent } from './departure-chains.js'
import { channelLimit, checkChannelsOf, checkOneMore, entriesWithinBudget } from './entry-budget.js'
import type { HeldChannel } from './store.js'

/** The log's refusals keep their codes, as CausetteErrors. */
function coded<T> (run: () => T): T {
  try {
    return run()
  } catch (error) {
    throw error instanceof ChannelError ? new CausetteError(error.code, error.message) : error
  }
}

export class ChannelMembership<Entry> {
  constructor (private readonly context: ChannelContext<Entry>, private readonly logChanged: (channel: string) => void) {}

  private get signer (): { publicKey: Uint8Array, sign: (bytes: Uint8Array) => Uint8Array } {
    return { publicKey: this.context.me.deviceKey, sign: this.context.me.sign }
  }

  async create (name: string, topic: string, open = false): Promise<HeldChannel> {
    const workspace = this.context.workspaceId()
    if (workspace === undefined) throw new CausetteError('WORKSPACE_NONE', 'create or join a workspace first: a channel is among its members')
    // Our colleagues would refuse one more: better say so here.
    checkChannelsOf(this.context.store, this.context.me.deviceKey)
    const log = coded(() => createChannel(this.context.store.primitives, this.signer, { workspace, name, topic, open }, this.context.now()))
    const held = this.context.store.adopt(log)
    await this.write(held, log.entries())
    // An open channel is announced: its log goes to every member of the workspace.
    if (open) this.context.replicate(log.channelId)
    return held
  }

  /** Appends our entry (the log's rules throw their code first) and pushes it to the members. */
  async act (channel: string, body: Exclude<ChannelEntryBody, { kind: 'create' }>): Promise<HeldChannel> {
    const held = requireChannel(this.context.store, channel)
    checkOneMore(this.context.store, held.log, this.context.me.deviceKey)
    const signed = coded(() => held.log.append(this.signer, this.namingChains(channel, body), this.context.now()))
    await this.write(held, [signed])
    this.context.replicate(channel)
    return held
  }

  /**
   * Entries a peer sent, in any order: a channel we do not hold starts from its create entry and
   * must name us, or be open to the workspace (the announcement of an open channel); throws the log's code after storing what it could add.
   */
  async receive (channel: string, entries: SignedEntry[]): Promise<number> {
    let held = this.context.store.get(channel)
    if (held === undefined) {
      if (entriesWithinBudget(this.context.store, undefined, entries).over) throw channelLimit('a channel with more entries by one device than we hold')
      const log = coded(() => ChannelLog.verify(this.context.store.primitives, entries))
      if (log.channelId !== channel) throw new CausetteError('CHANNEL_WRONG_CHANNEL', 'entries of another channel than the frame names')
      const state = log.state()
      if (state.workspace !== this.context.workspaceId()) throw new CausetteError('CHANNEL_WRONG_CHANNEL', 'a channel of another workspace')
      // Else any member could hand us (and through us, everyone) channels signed by throwaway keys, named as it likes and traced to no one.
      if (!this.context.wasInWorkspace(peerIdOf(state.creator))) throw new CausetteError('NOT_A_MEMBER', 'a channel created by a device that was never a member of our workspace')
      const me = this.context.me.deviceKey
      if (!state.open && !state.members.some(m => equals(m.device, me)) && !state.departures.some(d => equals(d.device, me))) throw new CausetteError('CHANNEL_NOT_MEMBER', 'a channel we are not a member of')
      checkChannelsOf(this.context.store, state.creator)
      held = this.context.store.adopt(log)
      await this.write(held, log.entries())
      this.logChanged(channel)
      return log.size
    }
    const log = held.log
    const unheld = entries.filter(e => !log.has(this.context.store.primitives.sha256(e.bytes)))
    if (unheld.length === 0) return 0
    const { kept: fresh, over } = entriesWithinBudget(this.context.store, log, unheld)
    let refusal: unknown = over ? channelLimit('more entries by one device than we hold') : undefined
    try { log.addAll(fresh) } catch (error) { refusal ??= error }
    const added = inLogOrder(fresh.filter(e => log.has(this.context.store.primitives.sha256(e.bytes))), this.context.store.primitives.sha256)
    if (added.length > 0) {
      await this.write(held, added)
      this.logChanged(channel)
    }
    if (refusal !== undefined) coded(() => { throw refusal })
    return added.length
  }

  /** A removal or leave naming the departing device's chains and how far each went (departure-chains.ts); other entries as they are. */
  private namingChains (channel: string, body: Exclude<ChannelEntryBody, { kind: 'create' }>): Exclude<ChannelEntryBody, { kind: 'create' }> {
    const { store } = this.context
    if (body.kind === 'remove') return { ...body, chains: chainsReceivedFrom(store.senderKey(channel, body.device)) }
    if (body.kind === 'leave') return { ...body, chains: chainsWeSent(store.ownChain(channel)) }
    return body
  }

  /** Stores entries of a held log, each journaled with its exact bytes. */
  private async write (held: HeldChannel, entries: SignedEntry[]): Promise<void> {
    const time = this.context.now()
    const channel = held.log.channelId
    await this.context.commit.write(
      entries.map(e => this.context.journal.channelEntry({ time, channel, change: parseChannelEntry(e.bytes).kind, entry: toBase64(e.bytes), signature: toBase64(e.signature) })),
      [...this.context.store.entryOps(channel, entries), this.context.store.setRecord(held.record)]
    )
    this.context.changed({ type: 'channel', channel })
  }
}

/** Entries in a channel log's order, (clock, hash): parents before children, as the journal's verifier reads them. */
function inLogOrder (entries: SignedEntry[], sha256: (bytes: Uint8Array) => Uint8Array): SignedEntry[] {
  const keyed = entries.map(e => ({ e, clock: parseChannelEntry(e.bytes).clock, hash: toBase64(sha256(e.bytes)) }))
  return keyed.sort((a, b) => a.clock - b.clock || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0)).map(k => k.e)
}
