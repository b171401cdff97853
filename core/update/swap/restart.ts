// How this process hands over to another executable. With no supervisor (a Windows Run key, a
// macOS LaunchAgent, a terminal) it starts the executable itself, detached, and exits. Under
// systemd it exits with RESTART_EXIT_CODE instead: systemd kills every process left in the unit's
// cgroup when its main process exits, so a detached child would die with us, and the unit's
// Restart=on-failure starts the installed executable again on any non-zero exit.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

export type Supervisor = 'systemd' | undefined

/** EX_TEMPFAIL: "try again"; any non-zero code restarts a Restart=on-failure unit. */
export const RESTART_EXIT_CODE = 75

/** Tells the new process which process watches its trial (see trial-watch.ts). */
export const TRIAL_WATCHER_ENV = 'CAUSETTE_TRIAL_WATCHER'

/** Set to `systemd` by a unit that restarts us (Restart=on-failure): says so without guessing. */
export const SUPERVISOR_ENV = 'CAUSETTE_SUPERVISOR'

/**
 * CAUSETTE_SUPERVISOR=systemd, else a guess: systemd sets INVOCATION_ID for the processes of a unit;
 * a shell in a terminal that systemd started inherits it too, so the parent must also be systemd
 * itself (our main process under the user unit is a child of `systemd --user`).
 */
export function detectSupervisor (env: NodeJS.ProcessEnv = process.env, parentName: () => string | undefined = parentProcessName): Supervisor {
  if (env[SUPERVISOR_ENV] === 'systemd') return 'systemd'
  if (env.INVOCATION_ID === undefined || env.INVOCATION_ID === '') return undefined
  return parentName() === 'systemd' ? 'systemd' : undefined
}

/** Starts `executable` detached from us, so it outlives this process; its output goes where ours goes. */
export function launchDetached (executable: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(executable, args, { detached: true, stdio: ['ignore', 'inherit', 'inherit'], env, windowsHide: true })
  // A failed spawn (the file vanished, not executable) shows as an exit with no code: see trial-watch.ts.
  child.on('error', () => {})
  return child
}

function parentProcessName (): string | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    return readFileSync(`/proc/${process.ppid}/comm`, 'utf8').trim()
  } catch {
    return undefined
  }
}
