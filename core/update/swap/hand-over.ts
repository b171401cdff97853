// Starting the installed executable in our place once the node has stopped (so the profile lock
// and the ports are free): ourselves when nobody supervises us, else systemd (see restart.ts).
import { launchDetached, RESTART_EXIT_CODE, TRIAL_WATCHER_ENV, type Supervisor } from './restart.js'

/** Resolves to the exit code this process must end with. */
export function handOverTo (executable: string, args: string[], supervisor: Supervisor): number {
  if (supervisor === 'systemd') return RESTART_EXIT_CODE
  // Nobody watches the process started here: our own watcher, if we had one, is gone.
  const { [TRIAL_WATCHER_ENV]: _watcher, ...env } = process.env
  launchDetached(executable, args, env).unref()
  return 0
}
