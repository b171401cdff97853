// What `causette` does with no command, as when a person double-clicks the file: start this
// profile's node unless it runs (creating the profile the first time), then open the app in the
// default browser. The node runs in the background, not in this process: on Windows a double-click
// opens a console window, and a person closes it; the node must not die with it. A profile with a
// passphrase is the exception: the node runs here, in the foreground, to ask for it on the terminal.
import { browserCommand, openInBrowser } from '../desk/open-browser.js'
import { deskPlatform } from '../desk/locations.js'
import { runningAppUrl } from '../desk/running-node.js'
import { hasPassphrase } from '../profile/passphrase.js'
import { ensureNodeRunning } from './background-node.js'
import type { CommandContext } from './command.js'
import { startCommand } from './commands/start.js'
import { PASSPHRASE_ENV } from './commands/passphrase.js'

export async function doubleClick (ctx: CommandContext, env: NodeJS.ProcessEnv): Promise<number> {
  const running = await runningAppUrl(ctx.home)
  if (running === undefined && await needsPassphraseHere(ctx.home, env)) {
    ctx.out('This profile is protected by a passphrase: causette runs in this window. Keep it open.')
    return await startCommand.run({ ...ctx, argv: [] })
  }
  if (running === undefined) ctx.out('Starting causette…')
  const { appUrl } = running === undefined ? await ensureNodeRunning(ctx.home, env) : { appUrl: running }
  ctx.out(running === undefined ? 'causette is running.' : 'causette was already running.')
  const opened = await openInBrowser(browserCommand(deskPlatform(), appUrl, env))
  ctx.out(`${opened ? 'Opened the app in your browser' : 'Open the app in your browser'}: ${appUrl}`)
  ctx.out('causette keeps running in the background: you can close this window.')
  return 0
}

async function needsPassphraseHere (profile: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const passphraseGiven = (env[PASSPHRASE_ENV] ?? '') !== ''
  return !passphraseGiven && await hasPassphrase(profile)
}
