// How a message's delivery states read, for one recipient (1:1) or one member of a channel.
import type { MessageState } from '../../../core/api/schema.js'
import { untilText } from '../lib/until.js'

// Each state has its own mark (DeliveryIcon.svelte): read and delivered differ by shape, not colour alone.
export const DELIVERY_LABELS: Record<MessageState, { text: string, hint: string }> = {
  queued: { text: 'Queued', hint: 'Waiting (clock): it goes out as soon as they are back on the network' },
  sent: { text: 'Sent', hint: 'On its way (one tick): a colleague\'s node may carry it until they are back (it cannot read it)' },
  delivered: { text: 'Delivered', hint: 'Stored by their node (two ticks), not read yet, or they do not send read receipts' },
  read: { text: 'Read', hint: 'Seen by them (two ticks on a filled disc)' },
  failed: { text: 'Failed', hint: 'Not delivered' }
}

/** "silently, in focus until 15:30": the recipient was in focus, so no notification interrupted them. */
export function silentText (until: number | null): string {
  return `silently, in focus${untilText(until)}`
}
