// `causette edit | delete | react`: change one of the messages you see, 1:1 (by default) or in a
// channel (`--channel`). Each is a signed message that names it; prints the message as now shown
// (its text, or "deleted"; its reactions).
import { parseCommandArgs } from '../command-args.js'
import type { MessageView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command, CommandContext } from '../command.js'
import { UsageError } from '../usage.js'
import { channelPath } from './channel-sub.js'

type Shown = Pick<MessageView, 'id' | 'text' | 'edited' | 'deleted' | 'reactions'>

/** The message's path: 1:1, or in `channel`. */
function messagePath (id: string, channel: string | undefined, rest = ''): string {
  const message = `/messages/${encodeURIComponent(id)}${rest}`
  return channel === undefined ? `/api/v1${message}` : channelPath(channel, message)
}

function print (ctx: CommandContext, message: Shown): number {
  if (ctx.json) {
    ctx.out(JSON.stringify(message))
    return 0
  }
  ctx.out(message.deleted === true ? `${message.id}  (deleted)` : `${message.id}  ${message.text}${message.edited === true ? '  (edited)' : ''}`)
  const reactions = (message.reactions ?? []).map(r => `${r.emoji} ${r.count}`).join('  ')
  if (reactions !== '') ctx.out(reactions)
  return 0
}

function parse (ctx: CommandContext, count: number, what: string, flags: { remove?: { type: 'boolean' } } = {}): { positionals: string[], channel: string | undefined, remove: boolean } {
  const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { channel: { type: 'string' }, ...flags }, allowPositionals: true, strict: true })
  if (positionals.length < count) throw new UsageError(`give ${what}`)
  return { positionals, channel: values.channel, remove: (values as { remove?: boolean }).remove === true }
}

export const editCommand: Command = {
  name: 'edit',
  summary: 'Edit one of your messages (every version stays in the journal)',
  usage: 'causette edit <message id> <new text...> [--channel <channel>] [--json]',
  run: async (ctx) => {
    const { positionals: [id, ...words], channel } = parse(ctx, 2, 'a message id and the new text')
    return print(ctx, await (await apiClient(ctx.home)).json<Shown>('PATCH', messagePath(id!, channel), { text: words.join(' ') }))
  }
}

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Delete one of your messages (recipients see "This message was deleted"; the journal keeps it)',
  usage: 'causette delete <message id> [--channel <channel>] [--json]',
  run: async (ctx) => {
    const { positionals: [id], channel } = parse(ctx, 1, 'a message id')
    return print(ctx, await (await apiClient(ctx.home)).json<Shown>('DELETE', messagePath(id!, channel), {}))
  }
}

export const reactCommand: Command = {
  name: 'react',
  summary: 'React to a message, or take your reaction back (--remove)',
  usage: 'causette react <message id> <emoji> [--remove] [--channel <channel>] [--json]',
  run: async (ctx) => {
    const { positionals: [id, emoji], channel, remove } = parse(ctx, 2, 'a message id and an emoji', { remove: { type: 'boolean' } })
    return print(ctx, await (await apiClient(ctx.home)).json<Shown>('POST', messagePath(id!, channel, remove ? '/reactions/remove' : '/reactions'), { emoji }))
  }
}
