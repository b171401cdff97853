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
 * The notifier of this computer. A failure (notify-send not installed, no desktop session) is
 * logged once, not at every message, and never stops the node.
 */
export function systemDesktopNotifier (log: (format: string, ...args: unknown[]) => void, platform: string = process.platform, run: RunNotificationCommand = runWithoutShell): DesktopNotifier {
  let failed = false
  return async note => {
    const command = notificationCommand(platform, note)
    if (command === undefined) return
    try {
      await run(command)
    } catch (error) {
      if (!failed) log('desktop notifications: %s failed (%e); the app shows them while it is open', command.file, error)
      failed = true
    }
  }
}
