// `causette send <name-or-peerid> [<text>] [--text T] [--file PATH]... [--urgent "<reason>"] [--reply-to <id>] [--send-id ID]`:
// sends through the running daemon, prints the message id. Each --file is staged first (streamed,
// progress on stderr when it is a terminal), then the message names them; the text may then be
// empty. An urgent message breaks through the recipient's focus; its reason is signed and
// journaled on both sides. `--reply-to` quotes the message it answers. `--send-id`: run again with
// it, the command prints the message sent the first time and sends nothing twice.
import { parseCommandArgs } from '../command-args.js'
import type { MessageView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { stageFiles } from '../file-upload.js'
import { UsageError } from '../usage.js'
import { MESSAGE_OPTIONS, messageContent, SEND_ID_HELP } from './message-content.js'
import { postMessage } from './post-message.js'

export const sendCommand: Command = {
  name: 'send',
  summary: 'Send a message, files or both to a peer (by name or PeerId); prints its id',
  usage: `causette send <name-or-peerid> [<text...> | --text T] [--file PATH]... [--urgent "<reason>"] [--reply-to <message id>] [--send-id ID] [--json]\n\n${SEND_ID_HELP}`,
  run: async (ctx) => {
    const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { ...MESSAGE_OPTIONS, urgent: { type: 'string' }, 'reply-to': { type: 'string' } }, allowPositionals: true, strict: true })
    const [to, ...words] = positionals
    if (to === undefined) throw new UsageError('give a recipient, and a text or a --file')
    const content = messageContent(words, values)
    if (values.urgent !== undefined && values.urgent.trim() === '') throw new UsageError('--urgent needs a reason: why may this interrupt?')
    const urgent = values.urgent === undefined ? {} : { urgent: values.urgent.trim() }
    const client = await apiClient(ctx.home)
    const attachments = content.files.length === 0 ? {} : { attachments: await stageFiles(client, content.files) }
    const message = await postMessage<MessageView>(client, '/api/v1/messages', { to, text: content.text, ...attachments, ...urgent, ...(values['reply-to'] !== undefined ? { quote: values['reply-to'] } : {}), ...content.sendId })
    ctx.out(ctx.json ? JSON.stringify(message) : message.id)
    return 0
  }
}
