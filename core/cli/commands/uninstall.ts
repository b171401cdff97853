// `causette uninstall`: removes the autostart and the installed copy, never the profile (it says how
// to remove that). Running it again changes nothing and says so.
import { parseCommandArgs } from '../command-args.js'
import { uninstall } from '../../desk/install.js'
import type { Command } from '../command.js'
import { currentDesk } from '../../desk/locations.js'
import { describeSteps, supportedPlatform } from '../desk-context.js'
import { shellWord } from '../../desk/shell-word.js'

const USAGE = `causette uninstall [--json]

Stops starting causette at login and removes the installed program and its menu entry. Your profile (keys, messages,
journal) stays where it is; the command prints how to delete it.`

export const uninstallCommand: Command = {
  name: 'uninstall',
  summary: 'Stop starting at login and remove the installed program (not your profile)',
  usage: USAGE,
  run: async (ctx) => {
    parseCommandArgs({ args: ctx.argv, options: {}, strict: true })
    const platform = supportedPlatform()
    const steps = await uninstall({ platform, deskEnv: currentDesk() })
    const changed = steps.some(step => step.changed)
    if (ctx.json) {
      ctx.out(JSON.stringify({ changed, steps, profile: ctx.home }))
      return 0
    }
    for (const line of describeSteps(steps, 'removed', 'absent')) ctx.out(line)
    ctx.out(changed ? 'causette is uninstalled.' : 'causette was not installed: nothing changed.')
    ctx.out(`Your profile stays in ${ctx.home}. To delete it too (your keys and messages, for ever), stop causette and ${removeProfileHow(platform, ctx.home)}.`)
    return 0
  }
}

function removeProfileHow (platform: string, profile: string): string {
  return platform === 'win32' ? `run: rmdir /s /q "${profile}"` : `run: rm -rf ${shellWord(profile)}`
}
