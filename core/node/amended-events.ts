// The events that follow a stored message (1:1 or channel). A new message is announced at once, as
// its own body shows it, so that its state changes that follow find it; an edit, retraction or
// reaction is never announced as a message (it would notify): the message it amends is announced
// again, updated, once read with all its amendments. A message whose quote or early amendments
// (arrived before it) change how it shows is announced updated too. Our own new message without a
// quote is not read again: nothing can amend it before it is stored here, and that read was a tenth
// of a sender's CPU per message (bench, issue 15).
import { heldMessage, showsAsItsBody } from '../messaging/amendments.js'
import type { Database } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'

export interface AmendedViews<View> {
  /** The message as its own body shows it (synchronous). */
  first: (message: MessageRecord) => View
  /** The message as shown now, amended. */
  current: (message: MessageRecord) => Promise<View>
}

export interface AmendedEmitters<View> {
  added: (view: View) => void
  updated: (view: View) => void
}

export function announceStored<View> (db: Pick<Database, 'messages' | 'messageIndex' | 'amendments'>, self: string, message: MessageRecord, views: AmendedViews<View>, emit: AmendedEmitters<View>, log: (format: string, ...args: unknown[]) => void): void {
  const first = message.amends === undefined ? views.first(message) : undefined
  if (first !== undefined) emit.added(first)
  if (showsAsItsBody(message, self)) return
  void (async () => {
    const target = message.amends !== undefined ? await heldMessage(db, message.amends) : message
    if (target === undefined) return // an amendment before its original: shown when the original comes
    const view = await views.current(target)
    if (first !== undefined && JSON.stringify(view) === JSON.stringify(first)) return
    emit.updated(view)
  })().catch(error => { log('could not show an amended message: %e', error) })
}
