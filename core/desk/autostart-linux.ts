// Linux: a systemd user unit, enabled the way `systemctl --user enable` does it (a link in
// default.target.wants), so it works even where no user manager runs now (a first install over SSH,
// a test's temporary HOME); systemctl is called only when the user's manager answers.
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import type { Autostart, Step } from './autostart-types.js'
import { linkIfDifferent, removeIfPresent, writeIfDifferent } from './files.js'
import { SYSTEMD_UNIT_NAME, systemdUnitPath, systemdWantsLinkPath, type DeskEnv } from './locations.js'
import type { RunCommand } from './run-command.js'
import { systemdUnit } from './systemd-unit.js'

export function linuxAutostart (deskEnv: DeskEnv, run: RunCommand): Autostart {
  const unitPath = systemdUnitPath(deskEnv)
  const wantsLink = systemdWantsLinkPath(deskEnv)
  const systemctl = async (...args: string[]): Promise<void> => {
    const result = await run('systemctl', ['--user', ...args])
    if (result.code !== 0) throw new Error(`systemctl --user ${args.join(' ')} failed: ${result.stderr.trim()}`)
  }

  return {
    register: async (command, { startNow }) => {
      const steps: Step[] = [
        { changed: await writeIfDifferent(unitPath, systemdUnit(command)), what: `systemd user unit ${unitPath}` },
        { changed: await linkIfDifferent(wantsLink, join('..', SYSTEMD_UNIT_NAME)), what: `started at login (${wantsLink})` }
      ]
      if (await userManagerReachable(deskEnv)) {
        if (steps.some(step => step.changed)) await systemctl('daemon-reload')
        await systemctl('enable', ...startNow ? ['--now'] : [], SYSTEMD_UNIT_NAME)
      }
      return steps
    },
    unregister: async ({ stopNow } = { stopNow: true }) => {
      const reachable = await userManagerReachable(deskEnv)
      if (reachable && await exists(unitPath)) await systemctl('disable', ...stopNow ? ['--now'] : [], SYSTEMD_UNIT_NAME)
      const steps = [
        { changed: await removeIfPresent(wantsLink), what: `start at login (${wantsLink})` },
        { changed: await removeIfPresent(unitPath), what: `systemd user unit ${unitPath}` }
      ]
      if (reachable && steps.some(step => step.changed)) await systemctl('daemon-reload')
      return steps
    },
    state: async () => ({ enabled: await exists(unitPath) && await exists(wantsLink), how: 'systemd', where: unitPath })
  }
}

/** The user's systemd manager listens on $XDG_RUNTIME_DIR/systemd/private when it runs. */
async function userManagerReachable ({ env }: DeskEnv): Promise<boolean> {
  const runtimeDir = env.XDG_RUNTIME_DIR
  return runtimeDir !== undefined && runtimeDir !== '' && await exists(join(runtimeDir, 'systemd', 'private'))
}

async function exists (path: string): Promise<boolean> {
  return await access(path).then(() => true, () => false)
}
