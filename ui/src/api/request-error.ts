// A refusal of the local API: its HTTP status (0 when no node answered), its error code and message.
// Apart from the client, so that what words it (storage-words.ts) is read without the client's runes.
export class ApiRequestError extends Error {
  override name = 'ApiRequestError'
  constructor (readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}
