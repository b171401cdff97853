// The POST of a message for `send` and `channel send`: a refused --send-id is said in the command's
// words, since the person reading it typed --send-id, not the API's sendId.
import { CausetteError, isCausetteError } from '../../errors.js'
import type { ApiClient } from '../client.js'

export async function postMessage<T> (client: ApiClient, path: string, body: { sendId?: string, [field: string]: unknown }): Promise<T> {
  try {
    return await client.json<T>('POST', path, body)
  } catch (error) {
    if (!isCausetteError(error, 'SEND_ID_REUSED')) throw error
    throw new CausetteError('SEND_ID_REUSED', `--send-id ${body.sendId ?? ''} already sent another message (another recipient, channel, text, quote, urgency or files): nothing was sent. Give each new message its own --send-id; reuse one only to run the same command again`)
  }
}
