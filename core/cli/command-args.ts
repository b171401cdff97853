// node:util's parseArgs for the commands, which have no short options: an argument that starts with
// a single dash is a value wherever it stands (a positional or an option's value), never a cluster
// of short options. Channel and message ids are base64url, and one in 64 starts with "-": such an id
// was refused as "Unknown option '-h'" (or, with the common -h, printed the usage).
import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Marks a dash-led value while parseArgs reads the line; no argument a person types holds it. */
const ESCAPE = '\u0001'
const SINGLE_DASH = /^-[^-]/

export function parseCommandArgs<T extends ParseArgsConfig> (config: T): ReturnType<typeof parseArgs<T>> {
  const args = escapeDashValues(config.args ?? [])
  const parsed = parseArgs({ ...config, args })
  const values = Object.fromEntries(Object.entries(parsed.values).map(([name, value]) => [name, unescapeValue(value)]))
  return { ...parsed, values, positionals: parsed.positionals.map(unescape) } as ReturnType<typeof parseArgs<T>>
}

/**
 * Hides every single-dash argument from parseArgs except the ones named in `shortOptions`. Read as a
 * group of short options, an id such as `-vP7…Y-SJ…` expands its inner "-" to "--", which ends the
 * options and turned every later argument, `--json` included, into a positional.
 */
export function escapeDashValues (args: readonly string[], shortOptions: readonly string[] = []): string[] {
  return args.map(arg => SINGLE_DASH.test(arg) && !shortOptions.includes(arg) ? ESCAPE + arg : arg)
}

function unescape (arg: string): string {
  return arg.startsWith(ESCAPE) ? arg.slice(ESCAPE.length) : arg
}

function unescapeValue (value: unknown): unknown {
  if (typeof value === 'string') return unescape(value)
  return Array.isArray(value) ? value.map(item => typeof item === 'string' ? unescape(item) : item) : value
}
