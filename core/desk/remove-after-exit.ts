// Deleting the program that runs `causette uninstall` (Settings > Apps runs the installed
// causette.exe) once it has ended: Windows will not delete a program while it runs, but lets it be
// renamed on its volume, so uninstall moves it aside (uninstall-windows.ts) and starts this script,
// detached and hidden, which waits for the uninstall's process to end, then deletes the file, and the
// program's folder if it is empty.
//
// Why PowerShell: Wait-Process waits on the process itself, where `cmd.exe /c` could only poll its
// pid with tasklist (and its `timeout` refuses to run without a console); every path goes in as a
// single-quoted literal, where cmd's quoting breaks on a user folder named "A&B" or "50%"; and it is
// what writes the Start menu shortcut already. A copy of ourselves cannot do it: the running program
// cannot delete itself, and a second copy would be one more program file left behind. Windows's own
// "delete at the next restart" (MoveFileEx) needs an administrator. Detached (launchCommand): it
// outlives the console window Settings opened, whose closing ends every process attached to it, and
// the job object in which Node ends a child with its parent.
import { win32 } from 'node:path'
import { literal } from './powershell.js'

export interface RemovalAfterExit {
  /** The process to wait for: this one. */
  pid: number
  /** The program, moved aside. */
  file: string
  /** The program's folder, removed if nothing else is left in it. */
  folder: string
}

/** How long the file is tried again after the process ended: an antivirus may still hold it a moment. */
const ATTEMPTS = 60
const ATTEMPT_MS = 500

export function removeAfterExitScript ({ pid, file, folder }: RemovalAfterExit): string {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new Error(`not a process id: ${pid}`)
  return [
    // Out of the folder it deletes: Windows keeps a process's current folder from being removed.
    `[System.IO.Directory]::SetCurrentDirectory(${literal(win32.dirname(folder))})`,
    `Wait-Process -Id ${pid} -ErrorAction SilentlyContinue`,
    // File.Delete says nothing of a file that is gone, and throws while one is in use.
    `foreach ($attempt in 1..${ATTEMPTS}) { try { [System.IO.File]::Delete(${literal(file)}); break } catch { Start-Sleep -Milliseconds ${ATTEMPT_MS} } }`,
    // Directory.Delete without recursion removes an empty folder only.
    `try { [System.IO.Directory]::Delete(${literal(folder)}) } catch { }`
  ].join('; ')
}
