// What a message to send says, from the command line of `send` and `channel send`: its text (the
// words, or --text, not both) and its files (--file, repeatable, at most 10). One of the two at least.
// And its --send-id: a script that runs the command again after a failure gives the same one, and
// the node answers the message it stored the first time rather than send it twice.
import { MAX_ATTACHMENTS_PER_MESSAGE, SEND_ID_PATTERN } from '../../api/schema.js'
import { UsageError } from '../usage.js'

export interface MessageContent {
  text: string
  files: string[]
  /** The API's sendId, as the request's field: absent unless --send-id was given. */
  sendId: { sendId?: string }
}

/** The options `send` and `channel send` read into a MessageContent. */
export const MESSAGE_OPTIONS = {
  text: { type: 'string' },
  file: { type: 'string', multiple: true },
  'send-id': { type: 'string' }
} as const

/** What the usage lines and --help say of --send-id. */
export const SEND_ID_HELP = '--send-id ID: 16 to 64 of A-Z a-z 0-9 _ - (a UUID fits), one per message; the same command run again with it (after a failure, a timeout) sends nothing twice, and a command with other content and that ID is refused'

export function messageContent (words: readonly string[], options: { text?: string | undefined, file?: string[] | undefined, 'send-id'?: string | undefined }): MessageContent {
  if (words.length > 0 && options.text !== undefined) throw new UsageError('give the text as words or with --text, not both')
  const text = options.text ?? words.join(' ')
  const files = options.file ?? []
  if (files.some(file => file === '')) throw new UsageError('--file needs a path')
  if (files.length > MAX_ATTACHMENTS_PER_MESSAGE) throw new UsageError(`a message carries at most ${MAX_ATTACHMENTS_PER_MESSAGE} files, not ${files.length}`)
  if (text === '' && files.length === 0) throw new UsageError('give a text, a --file, or both')
  const sendId = options['send-id']
  if (sendId !== undefined && !SEND_ID_PATTERN.test(sendId)) throw new UsageError('--send-id is 16 to 64 of A-Z a-z 0-9 _ - (a UUID fits)')
  return { text, files, sendId: sendId === undefined ? {} : { sendId } }
}
