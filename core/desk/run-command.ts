// Running the system's own tools (systemctl, launchctl, reg.exe) behind one small type, so tests can
// see the exact command lines without touching the user's session.
import { execFile, spawn } from 'node:child_process'

export interface CommandResult { code: number, stdout: string, stderr: string }
export type RunCommand = (file: string, args: string[]) => Promise<CommandResult>

export const runCommand: RunCommand = async (file, args) => await new Promise(resolve => {
  execFile(file, args, { windowsHide: true }, (error, stdout, stderr) => {
    // A missing tool (ENOENT) is a failed command like any other: code 127, as a shell says.
    const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 127
    resolve({ code, stdout, stderr: stderr === '' && error !== null ? error.message : stderr })
  })
})

/** Starts a program that keeps running (the Windows launcher stays as the node's watcher): detached, with no window, not waited for. */
export type LaunchCommand = (file: string, args: string[]) => void

export const launchCommand: LaunchCommand = (file, args) => {
  const child = spawn(file, args, { detached: true, stdio: 'ignore', windowsHide: true })
  child.on('error', () => {}) // the launcher vanished: the next login says so in its own way
  child.unref()
}
