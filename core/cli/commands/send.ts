// `causette send <name-or-peerid> <text> [--urgent "<reason>"] [--reply-to <id>]`: sends through the running daemon,
// prints the message id. An urgent message breaks through the recipient's focus; its reason is
// signed and journaled on both sides. `--reply-to` quotes the message it answers.
import { parseCommandArgs } from '../command-args.js'
import type { MessageView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { UsageError } from '../usage.js'

export const sendCommand: Command = {
  name: 'send',
  summary: 'Send a message to a peer (by name or PeerId); prints its id',
  usage: 'causette send <name-or-peerid> <text...> [--urgent "<reason>"] [--reply-to <message id>] [--json]',
  run: async (ctx) => {
    const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { urgent: { type: 'string' }, 'reply-to': { type: 'string' } }, allowPositionals: true, strict: true })
    const [to, ...words] = positionals
    if (to === undefined || words.length === 0) throw new UsageError('give a recipient and a text')
    if (values.urgent !== undefined && values.urgent.trim() === '') throw new UsageError('--urgent needs a reason: why may this interrupt?')
    const urgent = values.urgent === undefined ? {} : { urgent: values.urgent.trim() }
    const message = await (await apiClient(ctx.home)).json<MessageView>('POST', '/api/v1/messages', { to, text: words.join(' '), ...urgent, ...(values['reply-to'] !== undefined ? { quote: values['reply-to'] } : {}) })
    ctx.out(ctx.json ? JSON.stringify(message) : message.id)
    return 0
  }
}
