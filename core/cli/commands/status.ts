// `causette status`: this node's identity, addresses, peers and outbox.
import { parseArgs } from 'node:util'
import type { NodeStatus } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'

export const statusCommand: Command = {
  name: 'status',
  summary: "Show this node's identity, addresses, peers and queue",
  usage: 'causette status [--json]',
  run: async (ctx) => {
    parseArgs({ args: ctx.argv, options: {}, strict: true })
    const status = await (await apiClient(ctx.home)).json<NodeStatus>('GET', '/api/v1/status')
    if (ctx.json) {
      ctx.out(JSON.stringify(status))
      return 0
    }
    const [firstAddress = '(none)', ...otherAddresses] = status.addresses
    const lines: Array<[string, string]> = [
      ['name', status.name],
      ['peer id', status.peerId],
      ['addresses', firstAddress],
      ...otherAddresses.map((address): [string, string] => ['', address]),
      ['workspace', status.workspace === null ? 'none yet' : `${status.workspace.name} (${status.workspace.role})`],
      ['peers', `${status.peers.connected} connected of ${status.peers.known} known`],
      ['queue', `${status.queued} message${status.queued === 1 ? '' : 's'} waiting`],
      ['mdns', status.mdns ? 'on' : 'off'],
      ...status.discoveryProblems.map((problem): [string, string] => ['warning', problem.message]),
      ['journal', `${status.journal.size} entries`],
      ['version', status.version]
    ]
    for (const [label, value] of lines) ctx.out(`${label.padEnd(10)} ${value}`)
    return 0
  }
}
