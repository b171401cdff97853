// The events that follow a stored message (1:1 or channel). A new message is announced at once, as
// its own body shows it, so that its state changes that follow find it; an edit, retraction or
// reaction is never announced as a message (it would notify): the message it amends is announced
// again, updated, once read with all its amendments. A message whose quote or early amendments
// (arrived before it) change how it shows is announced updated too. A new message without a quote is
// not read again unless an amendment names it (AmendedIds): that read was a tenth of a sender's and
// of a receiver's CPU per message (bench, issue 15). Our own cannot be amended before it is stored.
import { ownShown, showsAsItsBody } from '../messaging/amendments.js'
import type { AmendedIds } from '../store/amended-ids.js'
import { heldMessage, type Database } from '../store/database.js'
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

/** Where a stored message is read from, and which messages some amendment names. */
export interface AmendedReads {
  db: Pick<Database, 'messages' | 'messageIndex' | 'amendments'>
  amended: AmendedIds
}

export function announceStored<View> (reads: AmendedReads, self: string, message: MessageRecord, views: AmendedViews<View>, emit: AmendedEmitters<View>, log: (format: string, ...args: unknown[]) => void): void {
  const { db } = reads
  const first = message.amends === undefined ? views.first(message) : undefined
  if (first !== undefined) emit.added(first)
  if (showsAsItsBody(message, self)) return
  void (async () => {
    if (first !== undefined && ownShown(message).quote === undefined && !(await reads.amended.any(message.id))) return
    const target = message.amends !== undefined ? await heldMessage(db, message.amends) : message
    if (target === undefined) return // an amendment before its original: shown when the original comes
    const view = await views.current(target)
    if (first !== undefined && JSON.stringify(view) === JSON.stringify(first)) return
    emit.updated(view)
  })().catch(error => { log('could not show an amended message: %e', error) })
}
