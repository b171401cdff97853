// `causette uninstall`: removes the autostart and the installed copy (on Windows its entry in
// Settings > Apps too, which runs this command), never the profile (it says how to remove that).
// Running it again changes nothing and says so.
import { parseCommandArgs } from '../command-args.js'
import { uninstall } from '../../desk/install.js'
import type { LaunchCommand } from '../../desk/run-command.js'
import { shellWord } from '../../desk/shell-word.js'
import { thisDesk, type ThisDesk } from '../../desk/start-at-login.js'
import { stopRunningNode } from '../../desk/stop-node.js'
import type { RunningProgram } from '../../desk/uninstall-windows.js'
import type { Command, CommandContext } from '../command.js'
import { describeSteps, supportedPlatform } from '../desk-context.js'

const USAGE = `causette uninstall [--pause] [--home DIR] [--json]

Stops starting causette at login and removes the installed program and its menu entry; on Windows
also its entry in Settings > Apps, after stopping causette on this profile (Windows cannot remove a
program that runs). Your profile (keys, messages, journal) stays where it is; the command prints
how to delete it.

  --pause   wait for Enter before ending (Windows), so that a console window of its own stays
            open until read: what Settings > Apps runs`

export const uninstallCommand: Command = {
  name: 'uninstall',
  summary: 'Stop starting at login and remove the installed program (not your profile)',
  usage: USAGE,
  run: async (ctx) => await runUninstall(ctx, { desk: thisDesk() })
}

export interface UninstallDesk {
  /** This user's desk, or a test's Windows desk in memory. */
  desk: ThisDesk
  /** This process, whose program Windows deletes only once it has ended. */
  self?: RunningProgram
  launch?: LaunchCommand
}

/** The command on this user's desk, or a test's. */
export async function runUninstall (ctx: CommandContext, { desk, self, launch }: UninstallDesk): Promise<number> {
  const { values } = parseCommandArgs({ args: ctx.argv, options: { pause: { type: 'boolean' } }, strict: true })
  if (values.pause === true) ctx.keepWindowOpen?.()
  const platform = supportedPlatform(desk.platform)
  // Windows will not delete the program this profile's node and its watcher run from. Elsewhere the
  // autostart's own removal stops the node it started (systemctl disable --now, launchctl bootout).
  const stopped = platform === 'win32' && await stopRunningNode(ctx.home)
  const steps = await uninstall({ platform, deskEnv: desk.deskEnv, run: desk.run, files: desk.files, self, launch })
  const changed = steps.some(step => step.changed)
  if (ctx.json) {
    ctx.out(JSON.stringify({ changed, stopped, steps, profile: ctx.home }))
    return 0
  }
  if (stopped) ctx.out('causette was running on this profile: it is stopped.')
  for (const line of describeSteps(steps, 'removed', 'absent')) ctx.out(line)
  ctx.out(changed ? 'causette is uninstalled.' : 'causette was not installed: nothing changed.')
  ctx.out(profileWords(platform, ctx.home))
  return 0
}

/** The profile stays; how to delete it too. On Windows its node is stopped already, and a folder is deleted in File Explorer. */
function profileWords (platform: string, profile: string): string {
  const stays = `Your profile stays in ${profile}. To delete it too (your keys and messages, for ever),`
  return platform === 'win32'
    ? `${stays} delete that folder, or run: rmdir /s /q "${profile}"`
    : `${stays} stop causette and run: rm -rf ${shellWord(profile)}.`
}
