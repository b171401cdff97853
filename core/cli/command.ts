// The shape of a CLI command. Each command lives in core/cli/commands/<name>.ts and is listed in
// core/cli/commands/index.ts; main.ts parses the common options and dispatches.
export interface CommandContext {
  /** Profile directory (--home, else $CAUSETTE_HOME, else ~/.causette). */
  home: string
  json: boolean
  /** Arguments after the command name, with the common options (--home, --json) removed. */
  argv: string[]
  out: (line: string) => void
  err: (line: string) => void
  /** Keeps a console window of this run's own open until Enter (main.ts: Windows): a double-click, Settings > Apps's uninstall. */
  keepWindowOpen?: () => void
}

export interface Command {
  name: string
  summary: string
  usage: string
  /** Resolves to the process exit code. */
  run: (ctx: CommandContext) => Promise<number>
}
