// What `causette` does with no command, as when a person double-clicks the file: start this
// profile's node unless it runs (creating the profile the first time), then open the app in the
// default browser. The node runs in the background, not in this process: on Windows a double-click
// opens a console window, and a person closes it; the node must not die with it. A profile with a
// passphrase is no exception: its node starts locked and the app asks for the passphrase
// (core/node/locked-start.ts).
import { browserCommand, openInBrowser } from '../desk/open-browser.js'
import { deskPlatform } from '../desk/locations.js'
import { runningAppUrl } from '../desk/running-node.js'
import { hasPassphrase } from '../profile/passphrase.js'
import { ensureNodeRunning } from './background-node.js'
import type { CommandContext } from './command.js'
import { PASSPHRASE_ENV } from './commands/passphrase.js'

export async function doubleClick (ctx: CommandContext, env: NodeJS.ProcessEnv): Promise<number> {
  const running = await runningAppUrl(ctx.home)
  if (running === undefined) ctx.out('Starting causette…')
  const { appUrl } = running === undefined ? await ensureNodeRunning(ctx.home, env) : { appUrl: running }
  ctx.out(running === undefined ? 'causette is running.' : 'causette was already running.')
  if (running === undefined && await startsLocked(ctx.home, env)) ctx.out('This profile is protected by a passphrase: type it in the app to unlock causette.')
  const opened = await openInBrowser(browserCommand(deskPlatform(), appUrl, env))
  ctx.out(`${opened ? 'Opened the app in your browser' : 'Open the app in your browser'}: ${appUrl}`)
  ctx.out('causette keeps running in the background: you can close this window.')
  return 0
}

/** The background node has nobody to ask its passphrase of: it waits locked for the app. */
async function startsLocked (profile: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return (env[PASSPHRASE_ENV] ?? '') === '' && await hasPassphrase(profile)
}
