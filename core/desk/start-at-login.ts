// Start at login as the running node offers it to the app (PUT /api/v1/autostart): on is `causette
// install` from the program this node runs from, never a path a request names; with a node running
// (this one) it registers for the next login and starts nothing now. Off removes the autostart entry
// and only it, stopping nothing (this node may be the one login started): the installed program and
// its menu entry stay, the way back to the app, and a running program is never removed from under
// itself (`causette uninstall` removes everything).
import { CausetteError, isCausetteError } from '../errors.js'
import { autostartFor } from './autostart.js'
import type { AutostartState } from './autostart-types.js'
import type { DeskFiles } from './files.js'
import { install } from './install.js'
import { currentDesk, deskPlatform, type DeskEnv, type DeskPlatform } from './locations.js'
import { menuEntryFor } from './menu-entry.js'
import { runCommand, type RunCommand } from './run-command.js'
import { packagedProgram } from './self-command.js'

/** The desk a node acts on: this user's (a test gives its own temporary one). */
export interface ThisDesk {
  /** Undefined on a system without an autostart of ours. */
  platform: DeskPlatform | undefined
  deskEnv: DeskEnv
  /** The release executable the node runs from (what install copies); null from a source checkout. */
  program: string | null
  run?: RunCommand
  /** The menu entry's PNG icon; default the one packed in the executable. */
  icon?: Uint8Array
  /** Where the program and the Windows icon are read and written: default the disk (a test's Windows desk in memory). */
  files?: DeskFiles
}

export function thisDesk (): ThisDesk {
  return { platform: deskPlatform(), deskEnv: currentDesk(), program: packagedProgram() }
}

export interface StartAtLoginState extends AutostartState {
  program: string | null
  /** The menu entry install wrote (the .desktop file, the Start menu shortcut, the app bundle), if it is there. */
  menu: string | null
}

export async function startAtLoginState ({ platform, deskEnv, program, run = runCommand }: ThisDesk): Promise<StartAtLoginState> {
  if (platform === undefined) return { enabled: false, how: 'none', where: null, program, menu: null }
  const [autostart, menu] = await Promise.all([
    autostartFor(platform, deskEnv, run).state(),
    menuEntryFor(platform, deskEnv, run).present()
  ])
  return { ...autostart, program, menu }
}

/** Each profile's switch, the last click asked (each waits for the one before it). */
const switching = new Map<string, Promise<void>>()

/**
 * One click at a time per profile, in the order clicked: on copies the program (seconds) before it
 * registers, and an off clicked meanwhile found nothing to remove yet, so the on ended last and start
 * at login stayed on against the last click.
 */
export async function setStartAtLogin (desk: ThisDesk, profile: string, enabled: boolean): Promise<void> {
  const before = switching.get(profile) ?? Promise.resolve()
  const turn = before.catch(() => {}).then(async () => { await switchStartAtLogin(desk, profile, enabled) })
  switching.set(profile, turn)
  try {
    await turn
  } finally {
    if (switching.get(profile) === turn) switching.delete(profile)
  }
}

async function switchStartAtLogin (desk: ThisDesk, profile: string, enabled: boolean): Promise<void> {
  const { platform, deskEnv, program, run = runCommand } = desk
  if (platform === undefined) throw new CausetteError('DESK_UNSUPPORTED', `causette cannot start by itself at login on ${process.platform}: start it yourself`)
  try {
    if (!enabled) {
      await autostartFor(platform, deskEnv, run).unregister({ stopNow: false })
      return
    }
    if (program === null) throw notPackaged()
    await install({ platform, deskEnv, profile, source: program, nodeRunning: true, run, ...desk.icon !== undefined ? { icon: desk.icon } : {}, ...desk.files !== undefined ? { files: desk.files } : {} })
  } catch (error) {
    if (isCausetteError(error)) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new CausetteError('DESK_FAILED', `start at login could not be turned ${enabled ? 'on' : 'off'}: ${reason}`, { cause: error })
  }
}

function notPackaged (): CausetteError {
  return new CausetteError('DESK_NOT_PACKAGED', 'this causette runs from its source code, so there is no program file to install: ' +
    'start at login is turned on from the downloaded causette file (or `causette install` in a terminal)')
}
