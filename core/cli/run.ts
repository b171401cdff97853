// The CLI without the process around it: parses the common options, dispatches to a command (no
// command: the double-click behaviour) and turns what went wrong into a message and an exit code
// (1: the command failed; 2: usage error).
import { parseArgs } from 'node:util'
import { codedError } from '../errors.js'
import { resolveHome } from '../profile/files.js'
import { VERSION } from '../runtime/build-info.js'
import { escapeDashValues } from './command-args.js'
import { joinAdvice } from './join-advice.js'
import type { Command } from './command.js'
import { allCommands, loadCommand } from './commands/index.js'
import { isUsageError, UsageError } from './usage.js'

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
  env: NodeJS.ProcessEnv
  /** The double-click, or `uninstall --pause`, has something to be read before its console window closes (main.ts: Windows). */
  keepWindowOpen?: () => void
}

const COMMON_OPTIONS = {
  home: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' }
} as const

export async function runCli (args: string[], io: CliIo): Promise<number> {
  let command: Command | undefined
  try {
    const { home, json, help, version, rest } = splitCommonOptions(args)
    if (version) {
      io.out(json ? JSON.stringify({ version: VERSION }) : `causette ${VERSION}`)
      return 0
    }
    const [name, ...argv] = rest
    command = name === undefined ? undefined : await loadCommand(name)
    if (command === undefined) {
      if (name !== undefined) throw new UsageError(`unknown command "${name}"`)
      if (help) {
        io.out(await overview())
        return 0
      }
      // Only a double-click (no argument at all) has a console window of its own to keep open.
      const keepWindowOpen = args.length === 0 ? io.keepWindowOpen : undefined
      const { doubleClick } = await import('./double-click.js')
      return await doubleClick({ home: resolveHome(home, io.env), json, argv: [], out: io.out, err: io.err }, io.env, keepWindowOpen === undefined ? {} : { keepWindowOpen })
    }
    if (help) {
      io.out(command.usage)
      return 0
    }
    return await command.run({ home: resolveHome(home, io.env), json, argv, out: io.out, err: io.err, ...io.keepWindowOpen === undefined ? {} : { keepWindowOpen: io.keepWindowOpen } })
  } catch (error) {
    if (isUsageError(error)) {
      io.err(`causette${command === undefined ? '' : ` ${command.name}`}: ${(error as Error).message}\n\n${command?.usage ?? await overview()}`)
      return 2
    }
    const coded = codedError(error)
    io.err([`causette: ${coded?.message ?? describeUnexpected(error)}`, ...coded === undefined ? [] : joinAdvice(coded.code)].join('\n'))
    return 1
  }
}

/**
 * Takes --home, --json, --help and --version (-h, -v) from anywhere on the line and leaves the rest
 * in order. Only a whole argument counts: an id or a text that starts with a dash (`-hQ3…`, which
 * parseArgs reads as grouped short options) stays the command's.
 */
function splitCommonOptions (args: string[]): { home?: string, json: boolean, help: boolean, version: boolean, rest: string[] } {
  const { tokens } = parseArgs({ args: escapeDashValues(args, ['-h', '-v']), options: COMMON_OPTIONS, strict: false, allowPositionals: true, tokens: true })
  const consumed = new Set<number>()
  const found = { home: undefined as string | undefined, json: false, help: false, version: false }
  for (const token of tokens) {
    if (token.kind !== 'option' || !(token.name in COMMON_OPTIONS) || !isWholeArgument(args[token.index]!, token.rawName)) continue
    consumed.add(token.index)
    if (token.value !== undefined && token.inlineValue === false) consumed.add(token.index + 1)
    if (token.name === 'home') {
      if (typeof token.value !== 'string') throw new UsageError('--home needs a directory')
      found.home = token.value
    } else {
      found[token.name as 'json' | 'help' | 'version'] = true
    }
  }
  return { ...found, rest: args.filter((_, index) => !consumed.has(index)) }
}

function isWholeArgument (arg: string, rawName: string): boolean {
  return arg === rawName || arg.startsWith(`${rawName}=`)
}

async function overview (): Promise<string> {
  const commands = await allCommands()
  const width = Math.max(...commands.map(command => command.name.length))
  return [
    'causette: a peer-to-peer, end-to-end encrypted messenger for the office network',
    '',
    'usage: causette <command> [options] [--home DIR] [--json]',
    '       causette            (no command, or a double-click) start the node if needed and open the app',
    '       causette --version',
    '',
    ...commands.map(command => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'The profile is --home DIR, else $CAUSETTE_HOME, else ~/.causette.',
    '`causette <command> --help` shows the options of a command.'
  ].join('\n')
}

function describeUnexpected (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
