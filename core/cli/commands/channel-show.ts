// `causette channel list | show | messages | read`: our messages show how far they got
// ("delivered 3/5 · read 2").
import { parseCommandArgs } from '../command-args.js'
import type { ChannelMessageView, ChannelView } from '../../api/schema.js'
import type { CommandContext } from '../command.js'
import { apiClient } from '../client.js'
import { deliverySummary, oneLine, relativeTime, shownLine } from '../format.js'
import { printList } from '../output.js'
import { channelPath, need, printChannel, type ChannelSubcommand } from './channel-sub.js'

export const channelShows: ChannelSubcommand[] = [
  {
    name: 'list',
    run: async (ctx) => {
      parseCommandArgs({ args: ctx.argv, options: {}, strict: true })
      const channels = await (await apiClient(ctx.home)).json<ChannelView[]>('GET', '/api/v1/channels')
      return printList(ctx, channels, {
        empty: 'no channels yet: create one with `causette channel create <name>`',
        header: ['NAME', 'MEMBERS', 'UNREAD', 'LAST', 'TOPIC', 'ID'],
        row: c => [c.name + (c.archived ? ' (archived)' : '') + (c.member ? '' : ' (left)'), String(c.members.length), String(c.unread), relativeTime(c.lastTime === 0 ? null : c.lastTime), oneLine(c.topic, 40), c.id]
      })
    }
  },
  {
    name: 'show',
    run: async (ctx) => {
      const { positionals } = parseCommandArgs({ args: ctx.argv, options: {}, allowPositionals: true, strict: true })
      const [channel] = need(positionals, 1, 'a channel')
      return printChannel(ctx, await (await apiClient(ctx.home)).json<ChannelView>('GET', channelPath(channel!)))
    }
  },
  {
    name: 'messages',
    run: async (ctx) => await listMessages(ctx, false)
  },
  {
    name: 'read',
    run: async (ctx) => await listMessages(ctx, true)
  }
]

/** The channel's messages (a thread's, with --thread); `read` marks them read first (read receipts go). */
async function listMessages (ctx: CommandContext, read: boolean): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { thread: { type: 'string' }, limit: { type: 'string' } }, allowPositionals: true, strict: true })
  const [channel] = need(positionals, 1, 'a channel')
  const query = new URLSearchParams()
  if (values.thread !== undefined) query.set('thread', values.thread)
  if (values.limit !== undefined) query.set('limit', values.limit)
  const client = await apiClient(ctx.home)
  if (read) await client.json('POST', channelPath(channel!, '/read'), {})
  const messages = await client.json<ChannelMessageView[]>('GET', `${channelPath(channel!, '/messages')}?${query.toString()}`)
  return printList(ctx, messages, {
    empty: 'no messages',
    header: ['TIME', 'AUTHOR', 'TEXT', 'DELIVERY', 'ID'],
    row: m => [
      relativeTime(m.time),
      m.authorName,
      `${m.replyTo !== undefined && m.deleted !== true ? `↳ ${m.replyTo.slice(0, 8)} ` : ''}${shownLine(m)}`,
      m.delivery !== undefined ? deliverySummary(m.delivery) : '',
      m.id
    ]
  })
}
