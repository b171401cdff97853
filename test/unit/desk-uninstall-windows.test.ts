// `causette uninstall` on Windows (core/desk/uninstall-windows.ts), on a desk in memory that keeps
// Windows's rule: a program that runs cannot be deleted, but can be renamed. Run from the installed
// causette.exe, as Settings > Apps runs it, or from its launcher: every other file goes, with the Run
// key and the entry in Settings > Apps, and the running program is moved aside and handed to a
// detached PowerShell that deletes it once this process has ended; one order of events, checked
// whole, says what happens when.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { install, uninstall } from '../../core/desk/install.js'
import type { DeskEnv } from '../../core/desk/locations.js'
import { powershellArgs } from '../../core/desk/powershell.js'
import type { LaunchCommand, RunCommand } from '../../core/desk/run-command.js'
import { consoleImage, fakeRegistry, fakeWindowsDisk } from '../helpers/fake-windows.js'

const ICON = await readFile(fileURLToPath(new URL('../../ui/public/icons/icon-192.png', import.meta.url)))
const WINDOWS: DeskEnv = {
  home: 'C:\\Users\\Ana Maria',
  env: { LOCALAPPDATA: 'C:\\Users\\Ana Maria\\AppData\\Local', APPDATA: 'C:\\Users\\Ana Maria\\AppData\\Roaming', TEMP: 'C:\\Users\\Ana Maria\\AppData\\Local\\Temp' }
}
const PROFILE = 'C:\\Users\\Ana Maria\\.causette'
const DOWNLOADED = 'C:\\Users\\Ana Maria\\Downloads\\causette-win-x64.exe'
const FOLDER = 'C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette'
const INSTALLED = `${FOLDER}\\causette.exe`
const LAUNCHER = `${FOLDER}\\causette-launcher.exe`
const LAUNCHER_VERSION = `${FOLDER}\\causette-launcher.version`
const ICO = `${FOLDER}\\causette.ico`
const SHORTCUT = 'C:\\Users\\Ana Maria\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\causette.lnk'
const RUN_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'
const UNINSTALL_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\causette'
const PID = 4242

/** What the detached PowerShell is given, decoded from its -EncodedCommand. */
function script (args: string[]): string {
  assert.deepEqual(args.slice(0, -1), powershellArgs('').slice(0, -1))
  return Buffer.from(args.at(-1)!, 'base64').toString('utf16le')
}

/** The script that leaves the program's folder, waits for process PID, then deletes `file`, and `folder` if empty. */
function deletionAfterExit (file: string, folder: string): string {
  return [
    "[System.IO.Directory]::SetCurrentDirectory('C:\\Users\\Ana Maria\\AppData\\Local\\Programs')",
    `Wait-Process -Id ${PID} -ErrorAction SilentlyContinue`,
    `foreach ($attempt in 1..60) { try { [System.IO.File]::Delete('${file}'); break } catch { Start-Sleep -Milliseconds 500 } }`,
    `try { [System.IO.Directory]::Delete('${folder}') } catch { }`
  ].join('; ')
}

interface InstalledDesk {
  disk: ReturnType<typeof fakeWindowsDisk>
  registry: ReturnType<typeof fakeRegistry>
  /** One timeline: the disk's changes, each reg.exe command line (`reg delete KEY`), each program launched. */
  events: string[]
  run: RunCommand
  launch: LaunchCommand
  /** The scripts of the PowerShells launched. */
  launched: string[]
}

/** Ana's desk after `causette install` (start at login on), with an earlier version an update kept. */
async function installedDesk (): Promise<InstalledDesk> {
  const events: string[] = []
  const disk = fakeWindowsDisk(events)
  const registry = fakeRegistry()
  const program = consoleImage()
  disk.contents.set(DOWNLOADED, program)
  await install({ platform: 'win32', deskEnv: WINDOWS, profile: PROFILE, source: DOWNLOADED, nodeRunning: true, run: registry.run, icon: ICON, files: disk.files })
  disk.contents.set(`${INSTALLED}.previous`, program)
  disk.contents.set(SHORTCUT, new Uint8Array(1)) // PowerShell wrote it
  assert.equal(registry.values.size, 1)
  assert.ok(registry.appsEntry.size > 0)
  events.length = 0
  const run: RunCommand = async (file, args) => {
    if (file === 'reg.exe') events.push(`reg ${args.slice(0, 2).join(' ')}`)
    return await registry.run(file, args)
  }
  const launched: string[] = []
  const launch: LaunchCommand = (file, args) => {
    events.push(`launched ${file}`)
    launched.push(script(args))
  }
  return { disk, registry, events, run, launch, launched }
}

describe('causette uninstall on Windows', () => {
  it('run from the installed causette.exe (Settings > Apps): removes everything else, then moves the program aside for a PowerShell that deletes it once this process ends', async () => {
    const { disk, registry, events, run, launch, launched } = await installedDesk()
    disk.running.add(INSTALLED)
    const moved = `C:\\Users\\Ana Maria\\AppData\\Local\\Temp\\causette.exe.${PID}.uninstalled`

    const steps = await uninstall({ platform: 'win32', deskEnv: WINDOWS, run, files: disk.files, self: { executable: INSTALLED, pid: PID }, launch })
    assert.deepEqual(events, [
      `reg query ${RUN_KEY}`, `reg delete ${RUN_KEY}`,
      `removed ${SHORTCUT}`, `removed ${ICO}`,
      `removed ${INSTALLED}.previous`, `removed ${LAUNCHER}`, `removed ${LAUNCHER_VERSION}`,
      `reg query ${UNINSTALL_KEY}`, `reg delete ${UNINSTALL_KEY}`,
      `moved ${INSTALLED} to ${moved}`, 'launched powershell.exe',
      `removed folder ${FOLDER}`
    ])
    assert.deepEqual(registry.calls.filter(([, verb]) => verb === 'delete'), [
      ['reg.exe', 'delete', RUN_KEY, '/v', 'causette', '/f'],
      ['reg.exe', 'delete', UNINSTALL_KEY, '/f']
    ])
    assert.deepEqual(launched, [deletionAfterExit(moved, FOLDER)], 'waits for this process, then deletes the moved program and the empty folder')
    assert.equal(registry.values.size, 0)
    assert.equal(registry.appsEntry.size, 0)
    assert.deepEqual([...disk.contents.keys()], [DOWNLOADED, moved], 'nothing else is left')
    assert.deepEqual([...disk.running], [moved], 'the uninstall runs on from its new name')
    assert.deepEqual(steps, [
      { changed: true, what: `start at login (${RUN_KEY}\\causette)` },
      { changed: true, what: `the Start menu shortcut ${SHORTCUT}` },
      { changed: true, what: `its icon ${ICO}` },
      { changed: true, what: `the earlier version kept at ${INSTALLED}.previous` },
      { changed: true, what: `its windowless launcher at ${LAUNCHER}` },
      { changed: true, what: `its entry in Settings > Apps (${UNINSTALL_KEY})` },
      { changed: true, what: `the program at ${INSTALLED} (the copy running this uninstall is deleted as soon as it ends)` }
    ])

    disk.contents.delete(moved) // the PowerShell did its job
    const again = await uninstall({ platform: 'win32', deskEnv: WINDOWS, run, files: disk.files, self: { executable: moved, pid: PID }, launch })
    assert.deepEqual(again.map(step => step.changed), [false, false, false, false, false, false])
    assert.equal(launched.length, 1, 'nothing to delete later')
  })

  it('moves the program beside itself when the temporary folder is on another drive; the folder then goes with it', async () => {
    const { disk, events, run, launch, launched } = await installedDesk()
    disk.running.add(INSTALLED)
    disk.refused.set(`C:\\Users\\Ana Maria\\AppData\\Local\\Temp\\causette.exe.${PID}.uninstalled`, 'EXDEV')
    await uninstall({ platform: 'win32', deskEnv: WINDOWS, run, files: disk.files, self: { executable: INSTALLED, pid: PID }, launch })
    const beside = `${INSTALLED}.${PID}.uninstalled`
    assert.deepEqual(events.slice(-2), [`moved ${INSTALLED} to ${beside}`, 'launched powershell.exe'], 'the folder holds it: not removed now')
    assert.deepEqual(launched, [deletionAfterExit(beside, FOLDER)])
  })

  it('leaves the folder to the PowerShell when it is a process\'s current folder, which Windows will not remove', async () => {
    const { disk, events, run, launch, launched } = await installedDesk()
    disk.running.add(INSTALLED)
    disk.refused.set(FOLDER, 'EBUSY')
    await uninstall({ platform: 'win32', deskEnv: WINDOWS, run, files: disk.files, self: { executable: INSTALLED, pid: PID }, launch })
    assert.equal(events.at(-1), 'launched powershell.exe')
    assert.deepEqual(launched, [deletionAfterExit(`C:\\Users\\Ana Maria\\AppData\\Local\\Temp\\causette.exe.${PID}.uninstalled`, FOLDER)])
  })

  it('run from the launcher: the launcher is the one moved aside', async () => {
    const { disk, events, run, launch, launched } = await installedDesk()
    disk.running.add(LAUNCHER)
    await uninstall({ platform: 'win32', deskEnv: WINDOWS, run, files: disk.files, self: { executable: LAUNCHER.toUpperCase(), pid: PID }, launch })
    const moved = `C:\\Users\\Ana Maria\\AppData\\Local\\Temp\\causette-launcher.exe.${PID}.uninstalled`
    assert.ok(events.includes(`removed ${INSTALLED}`))
    assert.ok(events.includes(`moved ${LAUNCHER} to ${moved}`), events.join('\n'))
    assert.deepEqual(launched, [deletionAfterExit(moved, FOLDER)])
  })

  it('run from the downloaded file: removes every file now, and starts nothing', async () => {
    const { disk, events, run, launch, launched } = await installedDesk()
    await uninstall({ platform: 'win32', deskEnv: WINDOWS, run, files: disk.files, self: { executable: DOWNLOADED, pid: PID }, launch })
    assert.deepEqual(events.filter(event => !event.startsWith('reg ')), [
      `removed ${SHORTCUT}`, `removed ${ICO}`, `removed ${INSTALLED}`, `removed ${INSTALLED}.previous`, `removed ${LAUNCHER}`, `removed ${LAUNCHER_VERSION}`, `removed folder ${FOLDER}`
    ])
    assert.deepEqual(launched, [])
  })

  it('stops at a program that another causette still runs, before the entry in Settings > Apps goes, so the uninstall can be run again from there', async () => {
    const { disk, registry, run, launch, launched } = await installedDesk()
    disk.running.add(INSTALLED)
    disk.running.add(LAUNCHER) // another profile's watcher
    await assert.rejects(uninstall({ platform: 'win32', deskEnv: WINDOWS, run, files: disk.files, self: { executable: INSTALLED, pid: PID }, launch }),
      { message: `${LAUNCHER} is still running, so it cannot be removed: close every causette window and stop causette on each profile (\`causette stop --home <profile>\`), then uninstall again` })
    assert.ok(registry.appsEntry.size > 0, 'the entry stays')
    assert.ok(disk.contents.has(INSTALLED), 'the program it runs stays in place')
    assert.deepEqual(launched, [])
  })
})
