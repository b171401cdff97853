// `causette channel list | browse | show | messages | read`: our messages show how far they got
// ("delivered 3/5 · read 2"); `browse` lists every channel we may see, with how to get in.
import { parseCommandArgs } from '../command-args.js'
import type { ChannelMessageView, ChannelView } from '../../api/schema.js'
import type { CommandContext } from '../command.js'
import { apiClient } from '../client.js'
import { deliverySummary, oneLine, relativeTime, shownLine } from '../format.js'
import { taggedName } from '../../names.js'
import { printList } from '../output.js'
import { attachmentLines, withAttachmentSummaries } from '../attachment-format.js'
import { channelPath, need, printChannel, type ChannelSubcommand } from './channel-sub.js'

export const channelShows: ChannelSubcommand[] = [
  {
    name: 'list',
    run: async (ctx) => {
      parseCommandArgs({ args: ctx.argv, options: {}, strict: true })
      const channels = await (await apiClient(ctx.home)).json<ChannelView[]>('GET', '/api/v1/channels')
      return printList(ctx, channels.filter(c => c.member), {
        empty: 'you are in no channel: create one with `causette channel create <name>`, or find one with `causette channel browse`',
        header: ['NAME', 'MEMBERS', 'UNREAD', 'LAST', 'TOPIC', 'ID'],
        row: c => [c.name + (c.archived ? ' (archived)' : ''), String(c.members.length), String(c.unread), relativeTime(c.lastTime === 0 ? null : c.lastTime), oneLine(c.topic, 40), c.id]
      })
    }
  },
  {
    name: 'browse',
    run: async (ctx) => {
      parseCommandArgs({ args: ctx.argv, options: {}, strict: true })
      const channels = await (await apiClient(ctx.home)).json<ChannelView[]>('GET', '/api/v1/channels')
      return printList(ctx, channels.sort((a, b) => a.name.localeCompare(b.name)), {
        empty: 'no channel to see yet: create one with `causette channel create <name> [--open]`',
        header: ['NAME', 'ACCESS', 'MEMBERS', 'YOU', 'TOPIC', 'ID'],
        row: c => [c.name + (c.archived ? ' (archived)' : ''), c.open ? 'open' : 'invite-only', String(c.members.length), howToGetIn(c), oneLine(c.topic, 40), c.id]
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

/** Whether we are in, or how to get in: `causette channel join`, or ask a member (the owner first). */
function howToGetIn (channel: ChannelView): string {
  if (channel.member) return 'member'
  if (channel.archived) return '-'
  if (channel.open) return 'join it'
  const owner = channel.members.find(m => m.owner) ?? channel.members[0]
  return owner === undefined ? 'nobody left to invite you' : `ask ${owner.name}`
}

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
      taggedName(m.authorName, m.authorTag),
      `${m.replyTo !== undefined && m.deleted !== true ? `↳ ${m.replyTo.slice(0, 8)} ` : ''}${shownLine(m)}`,
      m.delivery !== undefined ? deliverySummary(m.delivery) : '',
      m.id
    ],
    details: attachmentLines,
    json: withAttachmentSummaries
  })
}
