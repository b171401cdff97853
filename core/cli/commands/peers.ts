// `causette peers`: every known peer, connected or not, with the status they chose.
import { parseCommandArgs } from '../command-args.js'
import type { PeerPresence, PeerView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { clockDistance } from '../../api/clock-words.js'
import { clockTime, relativeTime } from '../format.js'
import { printList } from '../output.js'

/** "focus until 15:30, writing the report"; "-" for a peer that said nothing (or is offline). */
function statusOf (p: PeerPresence): string {
  if (p.updated === null || p.status === 'offline') return '-'
  const until = p.until === null ? '' : ` until ${clockTime(p.until)}`
  return `${p.status}${until}${p.text === '' ? '' : `, ${p.text}`}`
}

/** "clock 1 day ahead" for a colleague whose clock is off from the others'. */
function clockNote (peer: PeerView): string[] {
  if (peer.clockOffsetMs === undefined) return []
  return [`clock ${clockDistance(peer.clockOffsetMs)} ${peer.clockOffsetMs > 0 ? 'ahead' : 'behind'}`]
}

export const peersCommand: Command = {
  name: 'peers',
  summary: 'List known peers: name, PeerId, status (focus until 15:30...), addresses, last seen',
  usage: 'causette peers [--json]',
  run: async (ctx) => {
    parseCommandArgs({ args: ctx.argv, options: {}, strict: true })
    const peers = await (await apiClient(ctx.home)).json<PeerView[]>('GET', '/api/v1/peers')
    return printList(ctx, peers, {
      empty: 'no peers yet: colleagues on this network appear here when their node starts',
      header: ['NAME', 'PEER ID', 'STATE', 'STATUS', 'LAST SEEN', 'ADDRESSES'],
      row: peer => [
        peer.name,
        peer.peerId,
        [peer.keyChanged ? 'KEY CHANGED' : peer.connected ? 'connected' : 'offline', ...clockNote(peer)].join(', '),
        statusOf(peer.presence),
        peer.connected ? 'now' : relativeTime(peer.lastSeen),
        peer.addresses.join(' ')
      ]
    })
  }
}
