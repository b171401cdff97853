// What /causette/msg/1.0.0 carries, routed to the component that handles it: a channel's group
// message (its marker byte, channel-frame.ts) to the channels; anything else is sealed with the
// sender's pairwise session, and once opened its first byte says what it is: a message, a receipt
// (crypto/e2e/payload.ts) or a sender key distribution. The components are reached only through the
// interfaces below; opening, and writing the session's step, stay with the messaging logic.
import { payloadKind } from '../../crypto/e2e/index.js'
import { CausetteError } from '../errors.js'
import { isChannelFrame } from './channel-frame.js'
import type { InboundMessage, MessageReceiver } from './message-handler.js'

/** The pairwise plaintext kind of a sender key distribution (1 is a message, 2 a receipt). */
export const DISTRIBUTION_PAYLOAD_KIND = 3

export function isDistributionPayload (plaintext: Uint8Array): boolean {
  return plaintext[0] === DISTRIBUTION_PAYLOAD_KIND
}

/** What an opened pairwise message holds for this router: its plaintext (the rest is the receiver's). */
export interface OpenedPayload { plaintext: Uint8Array }

/** The pairwise half: opens sealed bytes with the sender's session, and takes messages and receipts. */
export interface PairwiseReceiver<Opened extends OpenedPayload> {
  /**
   * Opens `inbound` and hands it to `route`, whose outcome settles the session's step; resolves with
   * what `route` resolves with (the id of what was stored).
   */
  open: (inbound: InboundMessage, route: (opened: Opened) => Promise<string>) => Promise<string>
  receiveMessage: (opened: Opened) => Promise<string>
  receiveReceipt: (opened: Opened) => Promise<string>
}

/** The channels' half: group messages, and the sender keys that read them. */
export interface ChannelPayloadReceiver<Opened extends OpenedPayload> {
  receiveFrame: (inbound: InboundMessage) => Promise<string>
  receiveDistribution: (opened: Opened) => Promise<string>
}

export interface InboundRoutes<Opened extends OpenedPayload> {
  pairwise: PairwiseReceiver<Opened>
  /** Absent on a node without channels: their frames are then refused as undecryptable. */
  channels?: ChannelPayloadReceiver<Opened>
}

/** The `MessageReceiver` that message-handler.ts hands every inbound envelope to. */
export function routeInbound<Opened extends OpenedPayload> (routes: InboundRoutes<Opened>): MessageReceiver {
  const { pairwise, channels } = routes
  const routeOpened = async (opened: Opened): Promise<string> => {
    if (channels !== undefined && isDistributionPayload(opened.plaintext)) return await channels.receiveDistribution(opened)
    let kind: ReturnType<typeof payloadKind>
    try { kind = payloadKind(opened.plaintext) } catch (error) { throw new CausetteError('E2E_BAD_PAYLOAD', (error as Error).message) }
    return kind === 'receipt' ? await pairwise.receiveReceipt(opened) : await pairwise.receiveMessage(opened)
  }
  return {
    receive: async inbound => {
      // A channel message is read with its sender's chain, not a pairwise session.
      if (channels !== undefined && isChannelFrame(inbound.sealed)) return await channels.receiveFrame(inbound)
      return await pairwise.open(inbound, routeOpened)
    }
  }
}
