// The entry of the user's Run key that starts this desk's node at login (Windows), as the reg.exe
// command lines that write, read and delete it. HKCU needs no admin rights.
import { RUN_KEY, RUN_VALUE_NAME } from './locations.js'
import type { AutostartCommand } from './systemd-unit.js'

/** The value's data: the command line Windows runs at login. */
export function runKeyValue ({ executable, args }: AutostartCommand): string {
  return [executable, ...args].map(windowsWord).join(' ')
}

export function regAddArgs (value: string): string[] {
  return ['add', RUN_KEY, '/v', RUN_VALUE_NAME, '/t', 'REG_SZ', '/d', value, '/f']
}

export function regQueryArgs (): string[] {
  return ['query', RUN_KEY, '/v', RUN_VALUE_NAME]
}

export function regDeleteArgs (): string[] {
  return ['delete', RUN_KEY, '/v', RUN_VALUE_NAME, '/f']
}

/** The value's data from `reg query` output ("    causette    REG_SZ    <data>"), or undefined. */
export function parseRegQuery (output: string): string | undefined {
  for (const line of output.split(/\r?\n/)) {
    const match = /^\s+(\S+)\s+REG_(?:EXPAND_)?SZ\s+(.*)$/.exec(line)
    if (match !== null && match[1].toLowerCase() === RUN_VALUE_NAME) return match[2]
  }
  return undefined
}

/** A word of a Windows command line: quoted when it has a space (paths under "C:\Users\Ana Maria"). */
export function windowsWord (word: string): string {
  if (word.includes('"')) throw new Error('a Windows command line cannot hold a path with a double quote')
  // Inside quotes, backslashes before the closing quote are doubled, or the quote would be escaped.
  return /\s/.test(word) ? `"${word.replace(/(\\+)$/, '$1$1')}"` : word
}
