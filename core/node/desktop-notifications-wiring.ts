// The node notifies by itself while no app tab is open: the gate's own decisions (`notification`,
// `channel-notification`, `digest` events: focus, mute and urgent already applied) go to the
// operating system's notification service (core/desk/desktop-notifier.ts). While a tab is
// connected the app shows them, so the node stays quiet: never two notifications for one message.
import { withPlainMentions } from '../mentions.js'
import { digestAuthors, taggedName } from '../names.js'
import type { ChannelMessageView, DigestView, MessageView, NodeEvent } from '../api/schema.js'
import type { DesktopNote } from '../desk/desktop-notification.js'
import type { DesktopNotifier } from '../desk/desktop-notifier.js'
import type { EventLog } from './events.js'

export interface DesktopNotificationsWiring {
  events: EventLog
  notifier: DesktopNotifier
  /** A channel's name for its id (undefined: not known). */
  channelName: (id: string) => Promise<string | undefined>
  log: (format: string, ...args: unknown[]) => void
}

/** Subscribes to the node's events; returns the unsubscribe. */
export function wireDesktopNotifications (components: DesktopNotificationsWiring): () => void {
  return components.events.subscribe(undefined, frame => {
    if (components.events.appsConnected > 0) return // decided now, as the event leaves: a tab opening later changes nothing
    void noteFor(frame.event, components.channelName)
      .then(async note => { if (note !== undefined) await components.notifier(note) })
      .catch(error => { components.log('desktop notification: %e', error) })
  })
}

async function noteFor (event: NodeEvent, channelName: (id: string) => Promise<string | undefined>): Promise<DesktopNote | undefined> {
  switch (event.type) {
    case 'notification': return messageNote(authorOf(event.message), event.message)
    case 'channel-notification': return messageNote(`${authorOf(event.message)} in #${await channelName(event.message.channel) ?? 'a channel'}`, event.message)
    case 'digest': return digestNote(event.digest)
    default: return undefined
  }
}

/** The author as a notification names them: with their tag when another colleague goes by the name too. */
function authorOf (message: MessageView | ChannelMessageView): string {
  return taggedName(message.authorName, message.authorTag)
}

/** The same words as the app's notifications (ui/src/state/notifier.svelte.ts). */
function messageNote (from: string, message: MessageView | ChannelMessageView): DesktopNote {
  const text = 'reaction' in message && message.reaction !== undefined ? `reacted ${message.reaction}` : withPlainMentions(message.text)
  if (message.urgent === undefined) return { title: from, body: text, urgent: false }
  return { title: `Urgent: ${from}`, body: `${message.urgent}\n${text}`, urgent: true }
}

function digestNote (digest: DigestView): DesktopNote {
  return { title: `${digest.total} message${digest.total === 1 ? '' : 's'} during focus`, body: `From ${digestAuthors(digest)}`, urgent: false }
}
