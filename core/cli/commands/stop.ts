// `causette stop`: stops this profile's node, wherever it was started (a double-click's background
// node, `causette start` in another terminal, the autostart).
import { parseCommandArgs } from '../command-args.js'
import { stopRunningNode } from '../../desk/stop-node.js'
import type { Command } from '../command.js'

const USAGE = `causette stop [--home DIR] [--json]

Stops this profile's node and waits until it is gone. With autostart on, it starts again at the
next login (\`causette uninstall\` turns that off).`

export const stopCommand: Command = {
  name: 'stop',
  summary: 'Stop the node running on this profile',
  usage: USAGE,
  run: async (ctx) => {
    parseCommandArgs({ args: ctx.argv, options: {}, strict: true })
    const stopped = await stopRunningNode(ctx.home)
    ctx.out(ctx.json ? JSON.stringify({ stopped }) : stopped ? 'causette stopped.' : 'causette was not running.')
    return 0
  }
}
