// What a double-click's console window says about installing the program before the node starts
// (core/desk/install-before-start.ts, Windows only), for a person who never heard of a firewall rule;
// and whether the window should stay open until it is read (it closes when the run ends).
import { win32 } from 'node:path'
import type { ProgramToStart } from '../desk/install-before-start.js'
import { VERSION } from '../runtime/build-info.js'

export interface InstallWords { lines: string[], keepWindowOpen: boolean }

/** `downloaded`: the file that was double-clicked. */
export function installWords (program: ProgramToStart, downloaded: string): InstallWords {
  if (program.install === 'none') return { lines: [], keepWindowOpen: false }
  const folder = win32.dirname(program.installed)
  const fromNowOn = 'From now on, open causette from the Start menu.'
  switch (program.install) {
    case 'done': {
      const instead = program.replaced !== undefined && program.replaced !== VERSION ? `, in place of version ${program.replaced}` : ''
      const lines = [`causette ${VERSION} is installed in ${folder}${instead}.`]
      if (program.menuFailure === undefined) lines.push(`${fromNowOn} You can delete the downloaded file ${downloaded}.`)
      else {
        lines.push(`Its Start menu entry is missing: ${program.menuFailure}`,
          `Until then, open causette with the downloaded file ${downloaded}: it starts the installed program. Turning on Start at login in the app tries the shortcut again.`)
      }
      if (program.appsEntryFailure !== undefined) {
        lines.push(`It could not add itself to Settings > Apps (${program.appsEntryFailure}), and tries again each time it starts. Until then, to remove causette, run "${program.installed}" uninstall in a terminal.`)
      }
      const failed = program.menuFailure !== undefined || program.appsEntryFailure !== undefined
      return { lines, keepWindowOpen: program.changed || failed }
    }
    case 'newer-installed':
      return {
        lines: [`A newer causette (version ${program.version}) is already installed in ${folder}: that one starts, not this downloaded file (version ${VERSION}).`,
          `${fromNowOn} You can delete the downloaded file ${downloaded}.`],
        keepWindowOpen: true
      }
    case 'failed':
      return {
        lines: [`causette could not be installed in ${folder}: ${program.reason}`,
          `It runs from the downloaded file ${downloaded} this time: keep that file, it is how you open causette.`,
          'Once causette is installed (turning on Start at login in the app installs it), Windows Defender Firewall will ask about it again, and on a standard account that needs an administrator\'s password again.'],
        keepWindowOpen: true
      }
  }
}
