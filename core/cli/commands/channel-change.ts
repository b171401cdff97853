// `causette channel create | join | invite | remove | leave | topic | archive | mute`: each signs a change
// of the channel (its log, or our mute) through the daemon and prints the channel after it.
import { parseCommandArgs } from '../command-args.js'
import type { ChannelView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { CommandContext } from '../command.js'
import { UsageError } from '../usage.js'
import { channelPath, need, printChannel, type ChannelSubcommand } from './channel-sub.js'

async function change (ctx: CommandContext, method: string, path: string, body: unknown): Promise<number> {
  return printChannel(ctx, await (await apiClient(ctx.home)).json<ChannelView>(method, path, body))
}

function positionalsOf (ctx: CommandContext, count: number, what: string): string[] {
  return need(parseCommandArgs({ args: ctx.argv, options: {}, allowPositionals: true, strict: true }).positionals, count, what)
}

export const channelChanges: ChannelSubcommand[] = [
  {
    name: 'create',
    run: async (ctx) => {
      const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { topic: { type: 'string' }, open: { type: 'boolean' } }, allowPositionals: true, strict: true })
      need(positionals, 1, 'the channel a name')
      return await change(ctx, 'POST', '/api/v1/channels', { name: positionals.join(' '), topic: values.topic ?? '', open: values.open === true })
    }
  },
  {
    name: 'join',
    run: async (ctx) => await change(ctx, 'POST', channelPath(positionalsOf(ctx, 1, 'a channel')[0]!, '/join'), {})
  },
  {
    name: 'invite',
    run: async (ctx) => {
      const [channel, ...peers] = positionalsOf(ctx, 2, 'a channel and the members to invite')
      return await change(ctx, 'POST', channelPath(channel!, '/members'), { peers })
    }
  },
  {
    name: 'remove',
    run: async (ctx) => {
      const [channel, peer] = positionalsOf(ctx, 2, 'a channel and the member to remove')
      return await change(ctx, 'DELETE', channelPath(channel!, `/members/${encodeURIComponent(peer!)}`), {})
    }
  },
  {
    name: 'leave',
    run: async (ctx) => await change(ctx, 'POST', channelPath(positionalsOf(ctx, 1, 'a channel')[0]!, '/leave'), {})
  },
  {
    name: 'topic',
    run: async (ctx) => {
      const [channel, ...words] = positionalsOf(ctx, 2, 'a channel and its new topic')
      return await change(ctx, 'PATCH', channelPath(channel!), { topic: words.join(' ') })
    }
  },
  {
    name: 'archive',
    run: async (ctx) => await change(ctx, 'PATCH', channelPath(positionalsOf(ctx, 1, 'a channel')[0]!), { archived: true })
  },
  {
    name: 'mute',
    run: async (ctx) => {
      const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { for: { type: 'string' }, until: { type: 'string' }, off: { type: 'boolean' } }, allowPositionals: true, strict: true })
      const [channel] = need(positionals, 1, 'a channel')
      if (values.off === true) return await change(ctx, 'PUT', channelPath(channel!, '/mute'), { muted: false })
      const until = values.until === undefined ? undefined : Date.parse(values.until)
      if (until !== undefined && Number.isNaN(until)) throw new UsageError('--until takes a date and time, e.g. 2026-11-27T17:00')
      const minutes = values.for === undefined ? undefined : Number(values.for)
      if (minutes !== undefined && !Number.isInteger(minutes)) throw new UsageError('--for takes a number of minutes')
      return await change(ctx, 'PUT', channelPath(channel!, '/mute'), { muted: true, ...(until !== undefined ? { until } : {}), ...(minutes !== undefined ? { forMinutes: minutes } : {}) })
    }
  }
]
