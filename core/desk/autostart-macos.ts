// macOS: a LaunchAgent in ~/Library/LaunchAgents. launchd reads it at every login; launchctl loads it
// now only when asked to start the node now.
import { access } from 'node:fs/promises'
import type { Autostart, Step } from './autostart-types.js'
import { launchAgentPlist } from './launch-agent.js'
import { removeIfPresent, writeIfDifferent } from './files.js'
import { LAUNCH_AGENT_LABEL, launchAgentLogPath, launchAgentPath, type DeskEnv } from './locations.js'
import type { RunCommand } from './run-command.js'

export function macosAutostart (deskEnv: DeskEnv, run: RunCommand): Autostart {
  const plistPath = launchAgentPath(deskEnv)
  const domain = `gui/${process.getuid?.() ?? 0}`
  return {
    register: async (command, { startNow }) => {
      const steps: Step[] = [{ changed: await writeIfDifferent(plistPath, launchAgentPlist(command, launchAgentLogPath(deskEnv))), what: `LaunchAgent ${plistPath}` }]
      if (startNow) {
        // Unloading first makes launchd read the plist again; it fails harmlessly when nothing is loaded.
        await run('launchctl', ['bootout', `${domain}/${LAUNCH_AGENT_LABEL}`])
        const loaded = await run('launchctl', ['bootstrap', domain, plistPath])
        if (loaded.code !== 0) throw new Error(`launchctl bootstrap failed: ${loaded.stderr.trim()}`)
      }
      return steps
    },
    unregister: async ({ stopNow } = { stopNow: true }) => {
      // Unloading the agent stops its node: left loaded, it is gone at the next login all the same.
      if (stopNow && await access(plistPath).then(() => true, () => false)) await run('launchctl', ['bootout', `${domain}/${LAUNCH_AGENT_LABEL}`])
      return [{ changed: await removeIfPresent(plistPath), what: `LaunchAgent ${plistPath}` }]
    },
    state: async () => ({ enabled: await access(plistPath).then(() => true, () => false), how: 'launch-agent', where: plistPath })
  }
}
