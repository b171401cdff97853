// Running a PowerShell script from our own code (Windows PowerShell 5.1, in every Windows 10 and 11):
// the Start menu shortcut and the deletion of the program that ran `causette uninstall`. Every value
// goes in as a single-quoted literal, so nothing in a path is ever read as code.

/**
 * powershell.exe's arguments for a script. The script goes as -EncodedCommand (base64 of UTF-16LE,
 * PowerShell's documented form), so the double quotes of a path with spaces need no second quoting
 * for the command line.
 */
export function powershellArgs (script: string): string[] {
  return ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')]
}

/** A single-quoted literal: PowerShell reads the curly single quotes as quotes too, so each is doubled. */
export function literal (text: string): string {
  if (/[\n\r]/.test(text)) throw new Error('a Windows path cannot hold a line break')
  return `'${text.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`
}
