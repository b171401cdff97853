// What `causette` does with no command, as when a person double-clicks the file: start this
// profile's node unless it runs (creating the profile the first time), then open the app in the
// default browser. The node runs in the background, not in this process: on Windows a double-click
// opens a console window, and a person closes it; the node must not die with it. On Windows the
// first double-click of the downloaded file installs the program and starts the node from there
// (core/desk/install-before-start.ts says why). A profile with a passphrase is no exception: its node
// starts locked and the app asks for the passphrase (core/node/locked-start.ts).
import type { BackgroundStart } from '../desk/background-node.js'
import { installBeforeStart } from '../desk/install-before-start.js'
import { browserCommand, openInBrowser } from '../desk/open-browser.js'
import { runningAppUrl } from '../desk/running-node.js'
import { selfCommand, type SelfCommand } from '../desk/self-command.js'
import { thisDesk, type ThisDesk } from '../desk/start-at-login.js'
import { hasPassphrase } from '../profile/passphrase.js'
import { ensureNodeRunning } from './background-node.js'
import type { CommandContext } from './command.js'
import { PASSPHRASE_ENV } from './commands/passphrase.js'
import { installWords } from './install-words.js'

export interface DoubleClickOptions {
  /** The desk to install on and the program run: default this user's and this process's (a test's Windows desk). */
  desk?: ThisDesk
  /** Starts the node in the background: default a detached process (a test notes the command). */
  start?: (start: BackgroundStart) => Promise<string>
  /** Keeps the console window open until read: this run installed the program, or could not. */
  keepWindowOpen?: () => void
}

export async function doubleClick (ctx: CommandContext, env: NodeJS.ProcessEnv, { desk = thisDesk(), start, keepWindowOpen = () => {} }: DoubleClickOptions = {}): Promise<number> {
  const running = await runningAppUrl(ctx.home)
  if (running === undefined) ctx.out('Starting causette…')
  const command = startCommand(ctx, desk, keepWindowOpen)
  const { appUrl } = running === undefined ? await ensureNodeRunning(ctx.home, env, { command, ...start !== undefined ? { start } : {} }) : { appUrl: running }
  ctx.out(running === undefined ? 'causette is running.' : 'causette was already running.')
  if (running === undefined && await startsLocked(ctx.home, env)) ctx.out('This profile is protected by a passphrase: type it in the app to unlock causette.')
  const opened = await openInBrowser(browserCommand(desk.platform, appUrl, env))
  ctx.out(`${opened ? 'Opened the app in your browser' : 'Open the app in your browser'}: ${appUrl}`)
  ctx.out('causette keeps running in the background: you can close this window.')
  return 0
}

/** The command that starts the node, asked once no node runs: from the installed program on Windows, installed first if need be. */
function startCommand (ctx: CommandContext, desk: ThisDesk, keepWindowOpen: () => void): (args: string[]) => Promise<SelfCommand> {
  return async args => {
    if (desk.program === null) return selfCommand(args)
    const program = await installBeforeStart(desk, desk.program, ctx.home)
    const words = installWords(program, desk.program)
    for (const line of words.lines) ctx.out(line)
    if (words.keepWindowOpen) keepWindowOpen()
    return { file: program.executable, args }
  }
}

/** The background node has nobody to ask its passphrase of: it waits locked for the app. */
async function startsLocked (profile: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return (env[PASSPHRASE_ENV] ?? '') === '' && await hasPassphrase(profile)
}
