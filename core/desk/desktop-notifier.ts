// Shows a desktop notification through the OS (desktop-notification.ts builds the command). The node
// takes a DesktopNotifier so that tests see exactly what would be shown, without a desktop.
import { execFile } from 'node:child_process'
import { notificationCommand, type DesktopNote, type NotificationCommand } from './desktop-notification.js'

export type DesktopNotifier = (note: DesktopNote) => Promise<void>

/** Runs one command: argv, never a shell; the extra variables added to our environment. */
export type RunNotificationCommand = (command: NotificationCommand) => Promise<void>

const runWithoutShell: RunNotificationCommand = async ({ file, args, env }) => await new Promise((resolve, reject) => {
  execFile(file, args, { shell: false, windowsHide: true, timeout: 10_000, env: { ...process.env, ...env } }, error => {
    if (error === null) resolve()
    else reject(error)
  })
})

/**
 * The notifier of this computer. A failure (no desktop session) is logged once, not at every
 * message, and never stops the node; a command that is not installed is not tried again. One
 * notification shows at a time (`oneAtATime`): a burst (a catch-up, a carrier's hand-over) is one
 * process and one notice, not one of each per message.
 */
export function systemDesktopNotifier (log: (format: string, ...args: unknown[]) => void, platform: string = process.platform, run: RunNotificationCommand = runWithoutShell): DesktopNotifier {
  let warned = false
  let installed = true
  return oneAtATime(async note => {
    const command = notificationCommand(platform, note)
    if (command === undefined || !installed) return
    try {
      await run(command)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') installed = false
      if (!warned) log('desktop notifications: %s failed (%e); the app shows them while it is open', command.file, error)
      warned = true
    }
  })
}

/**
 * Shows one note at a time; what arrives meanwhile is shown next, the ordinary notes merged into
 * one ("3 new messages", from whom), each urgent one on its own, as its reason must be read.
 */
export function oneAtATime (show: DesktopNotifier): DesktopNotifier {
  let waiting: DesktopNote[] = []
  let showing: Promise<void> | undefined
  const drain = async (): Promise<void> => {
    while (waiting.length > 0) {
      const notes = waiting
      waiting = []
      const ordinary = notes.filter(note => !note.urgent)
      for (const note of notes.filter(note => note.urgent)) await show(note)
      if (ordinary.length > 0) await show(merged(ordinary))
    }
    showing = undefined
  }
  return async note => {
    waiting.push(note)
    showing ??= drain()
    await showing
  }
}

function merged (notes: DesktopNote[]): DesktopNote {
  if (notes.length === 1) return notes[0]!
  const from = [...new Set(notes.map(note => note.title))]
  return { title: `${notes.length} new notifications`, body: `From ${from.slice(0, 5).join(', ')}${from.length > 5 ? ` and ${from.length - 5} more` : ''}`, urgent: false }
}
