// The command line that shows one desktop notification through the operating system's own service,
// for the node to notify while no app tab is open. The text is a colleague's: it never reaches a
// shell or a script's source. Linux gets it as argv of notify-send (after `--`, with the body's
// markup characters escaped); macOS as argv of an AppleScript `on run argv` handler; Windows in
// environment variables that the PowerShell script reads as plain data into the toast's text nodes.

export interface DesktopNote {
  title: string
  body: string
  /** An urgent message (docs/presence.md): shown as critical where the service knows urgency. */
  urgent: boolean
}

export interface NotificationCommand {
  file: string
  args: string[]
  /** Extra environment variables (Windows: the text itself). */
  env: Record<string, string>
}

/** How much of a message a notification shows: the OS services cut longer texts anyway. */
export const MAX_NOTE_CHARS = 240

export const TITLE_VARIABLE = 'CAUSETTE_NOTIFICATION_TITLE'
export const BODY_VARIABLE = 'CAUSETTE_NOTIFICATION_BODY'

/** The command for this platform, undefined where the node has no notifier (other systems). */
export function notificationCommand (platform: string, note: DesktopNote): NotificationCommand | undefined {
  const title = shorten(note.title)
  const body = shorten(note.body)
  switch (platform) {
    case 'linux': return notifySend(title, body, note.urgent)
    case 'darwin': return osascript(title, body)
    case 'win32': return powershellToast(title, body)
    default: return undefined
  }
}

/** One line per field, no control characters (a terminal escape in a title), at most MAX_NOTE_CHARS. */
export function shorten (text: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim()
  return plain.length <= MAX_NOTE_CHARS ? plain : `${plain.slice(0, MAX_NOTE_CHARS - 1)}…`
}

/** The freedesktop spec lets a server read the body as markup: &, < and > are escaped so it stays text. */
export function escapeNotifyMarkup (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function notifySend (title: string, body: string, urgent: boolean): NotificationCommand {
  return { file: 'notify-send', args: ['--app-name=causette', `--urgency=${urgent ? 'critical' : 'normal'}`, '--', title, escapeNotifyMarkup(body)], env: {} }
}

/** The script is fixed; the text arrives as its arguments, so no quote in it can end a string. */
export const APPLESCRIPT_LINES = ['on run argv', 'display notification (item 2 of argv) with title (item 1 of argv)', 'end run']

function osascript (title: string, body: string): NotificationCommand {
  return { file: 'osascript', args: [...APPLESCRIPT_LINES.flatMap(line => ['-e', line]), title, body], env: {} }
}

/**
 * A toast through the WinRT API that PowerShell reaches, shown as PowerShell's own app id (an app
 * id Windows knows: a made-up one shows nothing). The text is read from the environment and put in
 * with CreateTextNode, so it is never PowerShell source nor XML markup.
 */
export const POWERSHELL_TOAST_SCRIPT = [
  '$ErrorActionPreference = \'Stop\'',
  '[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] | Out-Null',
  '$xml = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)',
  '$texts = $xml.GetElementsByTagName(\'text\')',
  `$texts.Item(0).AppendChild($xml.CreateTextNode($env:${TITLE_VARIABLE})) | Out-Null`,
  `$texts.Item(1).AppendChild($xml.CreateTextNode($env:${BODY_VARIABLE})) | Out-Null`,
  '$toast = [Windows.UI.Notifications.ToastNotification]::new($xml)',
  '[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier(\'{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe\').Show($toast)'
].join('\n')

function powershellToast (title: string, body: string): NotificationCommand {
  // -EncodedCommand (UTF-16LE, base64): the fixed script passes the command line without any quoting.
  const encoded = Buffer.from(POWERSHELL_TOAST_SCRIPT, 'utf16le').toString('base64')
  return {
    file: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden', '-EncodedCommand', encoded],
    env: { [TITLE_VARIABLE]: title, [BODY_VARIABLE]: body }
  }
}
