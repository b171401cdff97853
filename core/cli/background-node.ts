// The node of a profile, running in the background: the one already there, or one started now.
// Shared by the no-argument run (double-click) and `causette background` (what Windows runs at login).
import { startInBackground } from '../desk/background-node.js'
import { runningAppUrl } from '../desk/running-node.js'
import { selfCommand } from '../desk/self-command.js'

/** Options for the node a no-argument run starts (`--no-mdns --listen 127.0.0.1`...), as NODE_OPTIONS is for Node. */
export const START_OPTIONS_ENV = 'CAUSETTE_START_OPTIONS'

export interface RunningNode { appUrl: string, started: boolean }

export async function ensureNodeRunning (profile: string, env: NodeJS.ProcessEnv): Promise<RunningNode> {
  const running = await runningAppUrl(profile)
  if (running !== undefined) return { appUrl: running, started: false }
  const command = selfCommand(['start', '--home', profile, ...startOptions(env)])
  return { appUrl: await startInBackground({ command, profile, env }), started: true }
}

export function startOptions (env: NodeJS.ProcessEnv): string[] {
  return (env[START_OPTIONS_ENV] ?? '').split(/\s+/).filter(word => word !== '')
}
