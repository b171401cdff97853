// `causette connections`: the open connections to other desks and their ids, for diagnostics (a
// closed connection's id never comes back, so two listings show whether anyone was cut off).
import { parseCommandArgs } from '../command-args.js'
import type { ConnectionView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { table } from '../format.js'

export const connectionsCommand: Command = {
  name: 'connections',
  summary: 'List the open connections to other desks, with their ids',
  usage: 'causette connections [--json]',
  run: async (ctx) => {
    parseCommandArgs({ args: ctx.argv, options: {}, allowPositionals: false, strict: true })
    const connections = await (await apiClient(ctx.home)).json<ConnectionView[]>('GET', '/api/v1/connections')
    if (ctx.json) ctx.out(JSON.stringify(connections))
    else for (const line of table(['PEER ID', 'DIRECTION', 'SINCE', 'ID'], connections.map(c => [c.peerId, c.direction, new Date(c.opened).toISOString(), c.id]))) ctx.out(line)
    return 0
  }
}
