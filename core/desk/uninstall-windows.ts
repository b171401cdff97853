// `causette uninstall` on Windows, once the node is stopped and the Run key and Start menu entry are
// gone: the program, the versions an update kept beside it, the launcher, the entry in Settings > Apps
// and the folder. Settings > Apps runs the installed causette.exe itself, which Windows will not
// delete while it runs: that one file is moved aside, last, and deleted once this process has ended
// (remove-after-exit.ts). Everything that can fail for a reason worth retrying (a program another
// profile's node still runs) fails before the entry in Settings > Apps is removed, so that the
// uninstall can be run again from there.
import { win32 } from 'node:path'
import { removeAppsEntry } from './apps-entry-windows.js'
import type { Step } from './autostart-types.js'
import type { DeskFiles } from './files.js'
import { installedExecutablePath, sameWindowsPath, windowsLauncherPath, windowsTempFolder, type DeskEnv } from './locations.js'
import { powershellArgs } from './powershell.js'
import { removeAfterExitScript } from './remove-after-exit.js'
import { launcherAsidePath, launcherVersionPath } from './launcher-file.js'
import type { LaunchCommand, RunCommand } from './run-command.js'
import { keptExecutables } from '../runtime/kept-executables.js'

/** The process that runs the uninstall (process.execPath and process.pid). */
export interface RunningProgram { executable: string, pid: number }

export interface WindowsRemoval {
  deskEnv: DeskEnv
  run: RunCommand
  files: DeskFiles
  self: RunningProgram
  /** Starts the deletion that waits for this process to end. */
  launch: LaunchCommand
}

interface ProgramFile {
  path: string
  what: string
  /** Listed when absent too (the program and its launcher); the kept versions only when there were some. */
  listed: boolean
}

export async function removeWindowsProgram ({ deskEnv, run, files, self, launch }: WindowsRemoval): Promise<Step[]> {
  const folder = win32.dirname(installedExecutablePath('win32', deskEnv))
  const steps: Step[] = []
  let running: ProgramFile | undefined
  for (const file of programFiles(deskEnv)) {
    if (sameWindowsPath(file.path, self.executable) && await files.size(file.path) !== undefined) {
      running = file
      continue
    }
    const removed = await removeProgramFile(files, file.path)
    if (removed || file.listed) steps.push({ changed: removed, what: file.what })
  }
  // The launcher's version file goes with it, unlisted: nobody asked about it.
  await files.remove(launcherVersionPath(deskEnv))
  steps.push(await removeAppsEntry(run))
  if (running !== undefined) {
    const movedTo = await moveAside(files, deskEnv, running.path, self.pid)
    launch('powershell.exe', powershellArgs(removeAfterExitScript({ pid: self.pid, file: movedTo, folder })))
    steps.push({ changed: true, what: `${running.what} (the copy running this uninstall is deleted as soon as it ends)` })
  }
  // Not yet, if it holds the moved program or is some process's current folder (the Start menu
  // shortcut starts the launcher in it): the deletion after this process ends tries again.
  await files.removeEmptyFolder(folder).catch(() => false)
  return steps
}

function programFiles (deskEnv: DeskEnv): ProgramFile[] {
  const program = installedExecutablePath('win32', deskEnv)
  const launcher = windowsLauncherPath(deskEnv)
  return [
    { path: program, what: `the program at ${program}`, listed: true },
    // An update keeps the version it replaced beside the program (120 MB): it goes too.
    ...keptExecutables(program).map(path => ({ path, what: `the earlier version kept at ${path}`, listed: false })),
    { path: launcher, what: `its windowless launcher at ${launcher}`, listed: true },
    // A launcher an update moved aside while it ran (launcher-file.ts).
    { path: launcherAsidePath(deskEnv), what: `an earlier launcher at ${launcherAsidePath(deskEnv)}`, listed: false }
  ]
}

/**
 * Renames the running program, on its volume as Windows requires: into the user's temporary folder
 * (where a file left behind, had its deletion failed, is what Disk Cleanup clears), else beside itself
 * (a temporary folder on another drive).
 */
async function moveAside (files: DeskFiles, deskEnv: DeskEnv, path: string, pid: number): Promise<string> {
  const name = `${win32.basename(path)}.${pid}.uninstalled`
  let failure: unknown
  for (const place of [win32.join(windowsTempFolder(deskEnv), name), win32.join(win32.dirname(path), name)]) {
    try {
      await files.rename(path, place)
      return place
    } catch (error) {
      failure = error
    }
  }
  throw new Error(`${path} runs this uninstall, and could not be moved aside to be deleted once it ends (${(failure as Error).message}): delete it yourself once this window is closed`, { cause: failure })
}

/** Windows refuses to delete a program that runs: say what to do rather than how it failed. */
async function removeProgramFile (files: DeskFiles, path: string): Promise<boolean> {
  try {
    return await files.remove(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EBUSY' && code !== 'EPERM') throw error
    throw new Error(`${path} is still running, so it cannot be removed: close every causette window and stop causette on each profile (\`causette stop --home <profile>\`), then uninstall again`, { cause: error })
  }
}
