// `causette background`: makes sure this profile's node runs, in the background, and returns. What
// the Windows launcher runs at login (no console window); also handy in a login script elsewhere.
import { parseCommandArgs } from '../command-args.js'
import { ensureNodeRunning } from '../background-node.js'
import type { Command } from '../command.js'

const USAGE = `causette background [--home DIR] [--json]

Starts this profile's node in the background unless it already runs, waits until it answers, prints
the app's link and returns. The node's output goes to causette.log in the profile.`

export const backgroundCommand: Command = {
  name: 'background',
  summary: 'Start the node in the background unless it runs (what login starts on Windows)',
  usage: USAGE,
  run: async (ctx) => {
    parseCommandArgs({ args: ctx.argv, options: {}, strict: true })
    const { appUrl, started } = await ensureNodeRunning(ctx.home, process.env)
    ctx.out(ctx.json ? JSON.stringify({ appUrl, started }) : `causette ${started ? 'started' : 'was already running'}: ${appUrl}`)
    return 0
  }
}
