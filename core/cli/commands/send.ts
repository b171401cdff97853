// `causette send <name-or-peerid> <text>`: sends through the running daemon, prints the message id.
import { parseArgs } from 'node:util'
import type { MessageView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { UsageError } from '../usage.js'

export const sendCommand: Command = {
  name: 'send',
  summary: 'Send a message to a peer (by name or PeerId); prints its id',
  usage: 'causette send <name-or-peerid> <text...> [--json]',
  run: async (ctx) => {
    const { positionals } = parseArgs({ args: ctx.argv, options: {}, allowPositionals: true, strict: true })
    const [to, ...words] = positionals
    if (to === undefined || words.length === 0) throw new UsageError('give a recipient and a text')
    const message = await (await apiClient(ctx.home)).json<MessageView>('POST', '/api/v1/messages', { to, text: words.join(' ') })
    ctx.out(ctx.json ? JSON.stringify(message) : message.id)
    return 0
  }
}
