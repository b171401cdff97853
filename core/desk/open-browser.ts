// Opening the app in the user's default browser: xdg-open, open, or the Windows shell's URL handler.
// $BROWSER, when set, wins (the convention xdg-open and Python's webbrowser follow); tests point it
// at a script that writes down the URL instead of opening anything.
import { spawn } from 'node:child_process'
import type { DeskPlatform } from './locations.js'

export interface BrowserCommand { file: string, args: string[] }

export function browserCommand (platform: DeskPlatform | undefined, url: string, env: NodeJS.ProcessEnv): BrowserCommand {
  const browser = env.BROWSER
  if (browser !== undefined && browser !== '') return { file: browser, args: [url] }
  switch (platform) {
    case 'darwin': return { file: 'open', args: [url] }
    // rundll32 hands the URL to the default browser without cmd.exe, which would read its & and ^.
    case 'win32': return { file: 'rundll32.exe', args: ['url.dll,FileProtocolHandler', url] }
    default: return { file: 'xdg-open', args: [url] }
  }
}

/** Starts the opener and resolves once it started, without waiting for it (a $BROWSER may be the browser itself); false when it could not start. */
export async function openInBrowser ({ file, args }: BrowserCommand): Promise<boolean> {
  return await new Promise(resolve => {
    const child = spawn(file, args, { stdio: 'ignore', detached: true, windowsHide: true })
    child.once('error', () => { resolve(false) })
    child.once('spawn', () => { resolve(true) })
    child.unref()
  })
}
