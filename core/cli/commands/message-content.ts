// What a message to send says, from the command line of `send` and `channel send`: its text (the
// words, or --text, not both) and its files (--file, repeatable, at most 10). One of the two at least.
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../../api/schema.js'
import { UsageError } from '../usage.js'

export interface MessageContent {
  text: string
  files: string[]
}

export function messageContent (words: readonly string[], options: { text?: string | undefined, file?: string[] | undefined }): MessageContent {
  if (words.length > 0 && options.text !== undefined) throw new UsageError('give the text as words or with --text, not both')
  const text = options.text ?? words.join(' ')
  const files = options.file ?? []
  if (files.some(file => file === '')) throw new UsageError('--file needs a path')
  if (files.length > MAX_ATTACHMENTS_PER_MESSAGE) throw new UsageError(`a message carries at most ${MAX_ATTACHMENTS_PER_MESSAGE} files, not ${files.length}`)
  if (text === '' && files.length === 0) throw new UsageError('give a text, a --file, or both')
  return { text, files }
}
