// Starting the installed executable in our place once the node has stopped (so the profile lock
// and the ports are free): ourselves when nobody supervises us, else systemd (see restart.ts).
import { launchDetached, RESTART_EXIT_CODE, type Supervisor } from './restart.js'

/** Resolves to the exit code this process must end with. */
export function handOverTo (executable: string, args: string[], supervisor: Supervisor): number {
  if (supervisor === 'systemd') return RESTART_EXIT_CODE
  launchDetached(executable, args).unref()
  return 0
}
