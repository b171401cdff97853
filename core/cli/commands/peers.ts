// `causette peers`: every known peer, connected or not.
import { parseArgs } from 'node:util'
import type { PeerView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { relativeTime } from '../format.js'
import { printList } from '../output.js'

export const peersCommand: Command = {
  name: 'peers',
  summary: 'List known peers: name, PeerId, addresses, connected, last seen',
  usage: 'causette peers [--json]',
  run: async (ctx) => {
    parseArgs({ args: ctx.argv, options: {}, strict: true })
    const peers = await (await apiClient(ctx.home)).json<PeerView[]>('GET', '/api/v1/peers')
    return printList(ctx, peers, {
      empty: 'no peers yet: colleagues on this network appear here when their node starts',
      header: ['NAME', 'PEER ID', 'STATE', 'LAST SEEN', 'ADDRESSES'],
      row: peer => [
        peer.name,
        peer.peerId,
        peer.keyChanged ? 'KEY CHANGED' : peer.connected ? 'connected' : 'offline',
        peer.connected ? 'now' : relativeTime(peer.lastSeen),
        peer.addresses.join(' ')
      ]
    })
  }
}
