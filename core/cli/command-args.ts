// node:util's parseArgs for the commands, which have no short options: an argument that starts with
// a single dash is a value wherever it stands (a positional or an option's value), never a cluster
// of short options. Channel and message ids are base64url, and one in 64 starts with "-": such an id
// was refused as "Unknown option '-h'" (or, with the common -h, printed the usage).
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Marks a dash-led value while parseArgs reads the line; no argument a person types holds it. */
const ESCAPE = '\u0001'
const SINGLE_DASH = /^-[^-]/

export function parseCommandArgs<T extends ParseArgsConfig> (config: T): ReturnType<typeof parseArgs<T>> {
  const args = (config.args ?? []).map(arg => SINGLE_DASH.test(arg) ? ESCAPE + arg : arg)
  const parsed = parseArgs({ ...config, args })
  const values = Object.fromEntries(Object.entries(parsed.values).map(([name, value]) => [name, unescapeValue(value)]))
  return { ...parsed, values, positionals: parsed.positionals.map(unescape) } as ReturnType<typeof parseArgs<T>>
}

function unescape (arg: string): string {
  return arg.startsWith(ESCAPE) ? arg.slice(ESCAPE.length) : arg
}

function unescapeValue (value: unknown): unknown {
  if (typeof value === 'string') return unescape(value)
  return Array.isArray(value) ? value.map(item => typeof item === 'string' ? unescape(item) : item) : value
}
