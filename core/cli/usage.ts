// Usage errors: the command line itself was wrong. They exit with code 2 and show the usage,
// unlike failures of a well-formed command (exit code 1).
export class UsageError extends Error {
  override name = 'UsageError'
}

/** node:util parseArgs rejects unknown options and missing values with these codes. */
export function isUsageError (error: unknown): boolean {
  if (error instanceof UsageError) return true
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')
}

export function parsePort (option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`${option} must be a port number from 0 to 65535, not "${text}"`)
  return port
}
