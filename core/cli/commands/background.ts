// `causette background`: makes sure this profile's node runs, in the background, and returns. What
// the Windows launcher runs at login (no console window), with --watch: it then stays, and starts
// the node again if it crashes (core/desk/node-watch.ts); also handy in a login script elsewhere.
import { format } from 'node:util'
import { parseCommandArgs } from '../command-args.js'
import { ensureNodeRunning } from '../background-node.js'
import type { Command } from '../command.js'
import { systemDesktopNotifier } from '../../desk/desktop-notifier.js'
import { GAVE_UP_NOTE, logToProfile, watchNode } from '../../desk/node-watch.js'
import { stopRunningNode } from '../../desk/stop-node.js'

const USAGE = `causette background [--watch] [--home DIR] [--json]

Starts this profile's node in the background unless it already runs, waits until it answers, prints
the app's link and returns. The node's output goes to causette.log in the profile.

  --watch   then stay, and start the node again whenever it crashes (at most 5 times in 5 minutes),
            until \`causette stop\`: what Windows runs at login, where nothing else would restart it`

export const backgroundCommand: Command = {
  name: 'background',
  summary: 'Start the node in the background unless it runs (what login starts on Windows)',
  usage: USAGE,
  run: async (ctx) => {
    const { values } = parseCommandArgs({ args: ctx.argv, options: { watch: { type: 'boolean' } }, strict: true })
    const { appUrl, started } = await ensureNodeRunning(ctx.home, process.env)
    ctx.out(ctx.json ? JSON.stringify({ appUrl, started }) : `causette ${started ? 'started' : 'was already running'}: ${appUrl}`)
    if (values.watch !== true) return 0
    const log = (line: string): void => {
      ctx.err(line)
      void logToProfile(ctx.home, line).catch(() => {})
    }
    const end = await watchNode({
      profile: ctx.home,
      restart: async () => { await ensureNodeRunning(ctx.home, process.env) },
      log,
      // The notifier's log lines use %e for an error, as the node's logger does.
      gaveUp: async () => { await systemDesktopNotifier((line, ...args) => { log(format(line.replaceAll('%e', '%s'), ...args)) })(GAVE_UP_NOTE) },
      stopNode: async () => await stopRunningNode(ctx.home)
    })
    if (end === 'watched-elsewhere') ctx.err('another `causette background --watch` watches this node already')
    return end === 'gave-up' ? 1 : 0
  }
}
