// `causette messages [--with X]`: messages with author, text, time, state and signature check, and
// a line per file each carries (--json: each file as {id, name, size, type, sha256, state}).
import { parseCommandArgs } from '../command-args.js'
import type { MessageView, PeerView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { messageState, relativeTime, shownLine } from '../format.js'
import { taggedName } from '../../names.js'
import { printList } from '../output.js'
import { attachmentLines, withAttachmentSummaries } from '../attachment-format.js'

export const messagesCommand: Command = {
  name: 'messages',
  summary: 'List messages, optionally with one peer',
  usage: 'causette messages [--with <name-or-peerid>] [--limit N] [--json]',
  run: async (ctx) => {
    const { values } = parseCommandArgs({ args: ctx.argv, options: { with: { type: 'string' }, limit: { type: 'string' } }, strict: true })
    const query = new URLSearchParams()
    if (values.with !== undefined) query.set('with', values.with)
    if (values.limit !== undefined) query.set('limit', values.limit)
    const client = await apiClient(ctx.home)
    const [messages, peers] = await Promise.all([
      client.json<MessageView[]>('GET', `/api/v1/messages?${query.toString()}`),
      client.json<PeerView[]>('GET', '/api/v1/peers')
    ])
    const names = new Map(peers.map(peer => [peer.peerId, taggedName(peer.name, peer.nameTag)]))
    return printList(ctx, messages, {
      empty: 'no messages',
      header: ['TIME', 'AUTHOR', 'WITH', 'STATE', 'VERIFIED', 'TEXT', 'ID'],
      row: message => [
        relativeTime(message.time),
        taggedName(message.authorName, message.authorTag),
        names.get(message.peer) ?? message.peer,
        messageState(message),
        message.verified ? 'yes' : 'NO',
        shownLine(message),
        message.id
      ],
      details: attachmentLines,
      json: withAttachmentSummaries
    })
  }
}
