// Windows: a value in the user's Run key (HKCU, no admin rights), written and read with reg.exe.
// It names the launcher (windows-launcher.ts), which starts the node with no console window and stays
// as its watcher (node-watch.ts).
import type { Autostart } from './autostart-types.js'
import { RUN_KEY, RUN_VALUE_NAME } from './locations.js'
import { launchCommand, type LaunchCommand, type RunCommand } from './run-command.js'
import { parseRegQuery, regAddArgs, regDeleteArgs, regQueryArgs, runKeyValue } from './windows-run-key.js'

/** The command line the Run key holds for us, if any (reg query exits 1 when the value is absent). */
export async function runKeyCommand (run: RunCommand): Promise<string | undefined> {
  const result = await run('reg.exe', regQueryArgs())
  return result.code === 0 ? parseRegQuery(result.stdout) : undefined
}

/** Runs reg.exe; a refusal (a policy, a missing key) is an error that says what reg said. */
export async function reg (run: RunCommand, args: string[]): Promise<void> {
  const result = await run('reg.exe', args)
  if (result.code !== 0) throw new Error(`reg ${args[0]} failed: ${result.stderr.trim()}`)
}

export function windowsAutostart (run: RunCommand, launch: LaunchCommand = launchCommand): Autostart {
  const where = `${RUN_KEY}\\${RUN_VALUE_NAME}`
  const current = async (): Promise<string | undefined> => await runKeyCommand(run)

  return {
    register: async (command, { startNow }) => {
      const value = runKeyValue(command)
      const changed = await current() !== value
      if (changed) await reg(run, regAddArgs(value))
      // The launcher starts the node hidden and stays, watching it: not waited for.
      if (startNow) launch(command.executable, command.args)
      return [{ changed, what: `start at login (${where})` }]
    },
    unregister: async () => {
      const present = await current() !== undefined
      if (present) await reg(run, regDeleteArgs())
      return [{ changed: present, what: `start at login (${where})` }]
    },
    state: async () => ({ enabled: await current() !== undefined, how: 'run-key', where })
  }
}
