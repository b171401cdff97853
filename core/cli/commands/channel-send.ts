// `causette channel send | react`: prints the message id (react: the message reacted to). `send`
// stages each --file first, then sends the message that names them; with --send-id, run again, it
// prints the message sent the first time and sends nothing twice.
import { parseCommandArgs } from '../command-args.js'
import type { ChannelMessageView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { CommandContext } from '../command.js'
import { UsageError } from '../usage.js'
import { stageFiles } from '../file-upload.js'
import { MESSAGE_OPTIONS, messageContent } from './message-content.js'
import { postMessage } from './post-message.js'
import { channelPath, need, type ChannelSubcommand } from './channel-sub.js'

async function post (ctx: CommandContext, path: string, body: { sendId?: string, [field: string]: unknown }): Promise<number> {
  const message = await postMessage<ChannelMessageView>(await apiClient(ctx.home), path, body)
  ctx.out(ctx.json ? JSON.stringify(message) : message.id)
  return 0
}

export const channelSends: ChannelSubcommand[] = [
  {
    name: 'send',
    run: async (ctx) => {
      const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { ...MESSAGE_OPTIONS, reply: { type: 'string' }, quote: { type: 'string' }, urgent: { type: 'string' } }, allowPositionals: true, strict: true })
      const [channel, ...words] = need(positionals, 1, 'a channel, and a text or a --file')
      const content = messageContent(words, values)
      if (values.urgent !== undefined && values.urgent.trim() === '') throw new UsageError('--urgent needs a reason: why may this interrupt?')
      const client = await apiClient(ctx.home)
      const attachments = content.files.length === 0 ? {} : { attachments: await stageFiles(client, content.files) }
      return await post(ctx, channelPath(channel!, '/messages'), {
        text: content.text,
        ...attachments,
        ...(values.reply !== undefined ? { replyTo: values.reply } : {}),
        ...(values.quote !== undefined ? { quote: values.quote } : {}),
        ...(values.urgent !== undefined ? { urgent: values.urgent.trim() } : {}),
        ...content.sendId
      })
    }
  },
  {
    name: 'react',
    run: async (ctx) => {
      const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { remove: { type: 'boolean' } }, allowPositionals: true, strict: true })
      const [channel, id, emoji] = need(positionals, 3, 'a channel, a message id and an emoji')
      return await post(ctx, channelPath(channel!, `/messages/${encodeURIComponent(id!)}/reactions${values.remove === true ? '/remove' : ''}`), { emoji })
    }
  }
]
