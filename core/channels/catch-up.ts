// Catch-up of channel messages (the /causette/sync/1.0.0 request names, per channel we share with
// the peer, what we hold of each author's messages): any member serves the group messages it holds,
// as they travelled, to a requester that was a member at the heads they were sent under. Nothing is
// decrypted to serve them; a removed member is served nothing sent after its removal.
import { channelConversationId } from '../../crypto/channel-log.js'
import { equals, fromBase64 } from '../../crypto/encoding.js'
import { peerIdFromString } from '@libp2p/peer-id'
import type { MessageTransport } from '../messaging/delivery.js'
import { EMPTY_SEQ_SET, hasSeq, type SeqSet } from '../messaging/seq-set.js'
import { OneAnswerAtATime } from '../messaging/one-answer-at-a-time.js'
import { MAX_SYNC_CONVERSATIONS } from '../protocol/limits.js'
import type { ConversationHeads } from '../protocol/frames.js'
import type { MessageRecord } from '../store/records.js'
import { peerIdOf, type ChannelContext } from './context.js'
import { decodeChannelFrame } from '../protocol/channel-frame.js'

/** The device key an Ed25519 PeerId embeds. */
export function deviceOfPeer (peer: string): Uint8Array | undefined {
  try { return peerIdFromString(peer).publicKey?.raw } catch { return undefined }
}

/** Frames of one answer on their way at once: the rest wait their turn rather than all at once. */
export const CATCH_UP_WINDOW = 16

export class ChannelCatchUp<Entry> {
  /** One answer per peer at a time: a requester that read slowly, or never, had each start on top of the last. */
  readonly #answers = new OneAnswerAtATime(CATCH_UP_WINDOW)

  constructor (private readonly context: ChannelContext<Entry>, private readonly transport: Pick<MessageTransport, 'send'>) {}

  /** What we hold of each author's messages, per channel where both we and `peer` are members. */
  heads (peer: string): ConversationHeads[] {
    const device = deviceOfPeer(peer)
    if (device === undefined) return []
    const heads: ConversationHeads[] = []
    for (const { log, record } of this.context.store.all()) {
      const members = log.state().members
      if (!members.some(m => equals(m.device, device)) || !members.some(m => equals(m.device, this.context.me.deviceKey))) continue
      const authors = new Set([...members.map(m => peerIdOf(m.device)), ...Object.keys(record.received)])
      authors.delete(this.context.me.peerId)
      for (const author of authors) {
        if (heads.length >= MAX_SYNC_CONVERSATIONS) return heads
        const held = record.received[author] ?? EMPTY_SEQ_SET
        heads.push({ conversation: channelConversationId(log.channelId), author, contiguous: held.contiguous, above: held.above })
      }
    }
    return heads
  }

  /** Sends `peer` the group messages it lacks and may read; resolves with their number, undefined while an earlier answer to it is on its way. */
  async answer (peer: string, request: ConversationHeads[], limit: number): Promise<number | undefined> {
    const device = deviceOfPeer(peer)
    if (device === undefined) return 0
    return await this.#answers.answer(peer, async () => await this.#missing(device, peer, request, limit), async m => await this.#send(peer, m))
  }

  /** The group messages `peer` (device `device`) lacks and may read, in each author's order. */
  async #missing (device: Uint8Array, peer: string, request: ConversationHeads[], limit: number): Promise<MessageRecord[]> {
    const byConversation = new Map<string, Map<string, SeqSet>>()
    for (const heads of request) {
      const authors = byConversation.get(heads.conversation) ?? new Map<string, SeqSet>()
      authors.set(heads.author, { contiguous: heads.contiguous, above: heads.above })
      byConversation.set(heads.conversation, authors)
    }
    const missing: MessageRecord[] = []
    for (const [conversation, authors] of byConversation) {
      const held = this.context.store.byConversation(conversation)
      if (held === undefined) continue
      for await (const m of this.context.db.messages.values({ gte: `${conversation}!`, lt: `${conversation}!\uffff` })) {
        if (missing.length >= limit) break
        const theirs = authors.get(m.author)
        if (theirs === undefined || m.group === undefined || m.author === peer || hasSeq(theirs, m.seq)) continue
        if (held.log.wasMemberAt(device, decodeChannelFrame(fromBase64(m.group)).heads)) missing.push(m)
      }
    }
    // In each author's order: its chain then never skips.
    return missing.sort((a, b) => a.author < b.author ? -1 : a.author > b.author ? 1 : a.seq - b.seq)
  }

  async #send (peer: string, m: MessageRecord): Promise<void> {
    await this.transport.send(peer, { sealed: fromBase64(m.group!) as Uint8Array<ArrayBuffer>, author: m.author })
  }
}
