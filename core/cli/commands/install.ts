// `causette install`: copies this executable to the user's own programs folder and starts it at
// login (no admin rights). Running it again changes nothing and says so. From an older program than
// the installed one (a download an update has overtaken) it changes nothing, unless --force.
import { parseCommandArgs } from '../command-args.js'
import { install } from '../../desk/install.js'
import { isPackaged } from '../../runtime/build-info.js'
import { runningAppUrl } from '../../desk/running-node.js'
import { hasPassphrase } from '../../profile/passphrase.js'
import { CausetteError, isCausetteError } from '../../errors.js'
import type { Command } from '../command.js'
import { currentDesk } from '../../desk/locations.js'
import { describeSteps, supportedPlatform } from '../desk-context.js'

const USAGE = `causette install [--home DIR] [--force] [--json]

Copies this program to your own programs folder and starts causette when you log in:
  Linux    ~/.local/bin/causette and a systemd user unit (restarted if it crashes)
  macOS    ~/Library/Application Support/causette/causette and a LaunchAgent
  Windows  %LOCALAPPDATA%\\Programs\\causette\\causette.exe and your Run key, with no console window
           (its launcher stays to start the node again if it crashes)
and puts causette in your menu, to open the app from there: the applications menu (Linux,
~/.local/share/applications/causette.desktop), the Start menu (Windows, and Settings > Apps, which
uninstalls it), your Applications folder (macOS, ~/Applications/causette.app, which Launchpad and
Spotlight list). The app's Settings turns start at login on and off too. No admin rights are
needed. \`causette uninstall\` undoes it; your profile is never touched.

A causette newer than this program that is already installed (an update reached it) is kept and
nothing changes: start causette from your menu. --force puts this older version in its place.`

export const installCommand: Command = {
  name: 'install',
  summary: 'Install this program for you and start it when you log in',
  usage: USAGE,
  run: async (ctx) => {
    const { values } = parseCommandArgs({ args: ctx.argv, options: { force: { type: 'boolean' } }, strict: true })
    const platform = supportedPlatform()
    if (!isPackaged()) {
      throw new CausetteError('DESK_NOT_PACKAGED', 'install copies the causette program file, and this is causette running from its source code. ' +
        'Run `install` from the file for your computer (dist/release/ after `npm run package`, or the download); from source, `npm start` runs the node.')
    }
    const nodeRunning = await runningAppUrl(ctx.home) !== undefined
    const steps = await install({ platform, deskEnv: currentDesk(), profile: ctx.home, source: process.execPath, nodeRunning, force: values.force === true })
      .catch(error => { throw isCausetteError(error, 'DESK_NEWER_INSTALLED') ? withForceAdvice(error) : error })
    const changed = steps.some(step => step.changed)
    if (ctx.json) {
      ctx.out(JSON.stringify({ changed, steps }))
      return 0
    }
    for (const line of describeSteps(steps, 'installed', 'unchanged')) ctx.out(line)
    // Started at login with no terminal, such a node waits locked (core/node/locked-start.ts).
    if (await hasPassphrase(ctx.home)) ctx.out('this profile has a passphrase: at login causette starts locked, and its app asks for the passphrase')
    if (!changed) ctx.out('causette was already installed: nothing changed.')
    else ctx.out(nodeRunning ? 'causette starts when you log in; the node running now keeps running.' : 'causette starts when you log in.')
    return 0
  }
}

/** The refusal as the terminal words it: the way to replace the newer copy anyway. */
function withForceAdvice (error: CausetteError): CausetteError {
  return new CausetteError(error.code, `${error.message} To put this older version in its place anyway, run install again with --force.`)
}
