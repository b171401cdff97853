// How a message's delivery states read, for one recipient (1:1) or one member of a channel.
import type { MessageState } from '../../../core/api/schema.js'
import { untilText } from '../lib/until.js'

export const DELIVERY_LABELS: Record<MessageState, { text: string, icon: string, hint: string }> = {
  queued: { text: 'Queued', icon: '◷', hint: 'Waiting: it goes out as soon as they are back on the network' },
  sent: { text: 'Sent', icon: '✓', hint: 'On its way: a colleague\'s node may carry it until they are back (it cannot read it)' },
  delivered: { text: 'Delivered', icon: '✓✓', hint: 'Stored by their node' },
  read: { text: 'Read', icon: '✓✓', hint: 'Seen by them' },
  failed: { text: 'Failed', icon: '!', hint: 'Not delivered' }
}

/** "silently, in focus until 15:30": the recipient was in focus, so no notification interrupted them. */
export function silentText (until: number | null): string {
  return `silently, in focus${untilText(until)}`
}
