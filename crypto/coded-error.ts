// The one shape of our errors: a stable `code` that callers branch on, and a message that says what
// was wrong with the input (never key material or message content). Each module names its own
// subclass and its list of codes.
export class CodedError<Code extends string> extends Error {
  constructor (readonly code: Code, message: string, options?: ErrorOptions) {
    super(message, options)
  }
}
