// The node of a profile, running in the background: the one already there, or one started now.
// Shared by the no-argument run (double-click) and `causette background` (what Windows runs at login).
import { mkdir } from 'node:fs/promises'
import { startInBackground, waitForOtherStart, type BackgroundStart } from '../desk/background-node.js'
import { runningAppUrl } from '../desk/running-node.js'
import { selfCommand, type SelfCommand } from '../desk/self-command.js'
import { takeStartLock } from '../desk/start-lock.js'

/** Options for the node a no-argument run starts (`--no-mdns --listen 127.0.0.1`...), as NODE_OPTIONS is for Node. */
export const START_OPTIONS_ENV = 'CAUSETTE_START_OPTIONS'

export interface RunningNode { appUrl: string, started: boolean }

export interface NodeStart {
  /**
   * The command that runs `causette start` with `args`, asked under the start lock once no node runs
   * on the profile (the double-click installs the program first on Windows); default this program.
   */
  command?: (args: string[]) => Promise<SelfCommand>
  /** Starts it in the background and resolves with the app's link: default a detached process (a test notes the command). */
  start?: (start: BackgroundStart) => Promise<string>
}

export async function ensureNodeRunning (profile: string, env: NodeJS.ProcessEnv, { command = async args => selfCommand(args), start = startInBackground }: NodeStart = {}): Promise<RunningNode> {
  const running = await runningAppUrl(profile)
  if (running !== undefined) return { appUrl: running, started: false }
  await mkdir(profile, { recursive: true, mode: 0o700 })
  const lock = await takeStartLock(profile)
  if (lock === undefined) return { appUrl: await waitForOtherStart(profile), started: false }
  try {
    // The run that held the lock before us may have started it meanwhile.
    const startedMeanwhile = await runningAppUrl(profile)
    if (startedMeanwhile !== undefined) return { appUrl: startedMeanwhile, started: false }
    const startCommand = await command(['start', '--home', profile, ...startOptions(env)])
    return { appUrl: await start({ command: startCommand, profile, env }), started: true }
  } finally {
    await lock.release()
  }
}

function startOptions (env: NodeJS.ProcessEnv): string[] {
  return (env[START_OPTIONS_ENV] ?? '').split(/\s+/).filter(word => word !== '')
}
