// The first double-click on Windows installs the program and starts the node from the installed
// copy, so that Windows Defender Firewall asks once, for the path every later start uses
// (core/desk/install-before-start.ts). Run on Linux: the double-click in this process, with a Windows
// desk in memory (its files, Run key and Start menu shortcut behind fake-windows.ts), and a real node
// started from source on a temporary profile by a `start` that notes the command it was given, so
// each test asserts which executable the node was started from. Linux and macOS install nothing.
import assert from 'node:assert/strict'
import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runUninstall } from '../../core/cli/commands/uninstall.js'
import { doubleClick } from '../../core/cli/double-click.js'
import { startInBackground, type BackgroundStart } from '../../core/desk/background-node.js'
import { installedExecutablePath, startMenuShortcutPath, windowsIconPath, windowsLauncherPath, type DeskEnv, type DeskPlatform } from '../../core/desk/locations.js'
import { menuCommand } from '../../core/desk/install.js'
import { launcherVersionPath } from '../../core/desk/launcher-file.js'
import type { RunCommand } from '../../core/desk/run-command.js'
import { runningAppUrl } from '../../core/desk/running-node.js'
import type { SelfCommand } from '../../core/desk/self-command.js'
import { powershellArgs } from '../../core/desk/powershell.js'
import { shortcutScript } from '../../core/desk/start-menu-shortcut.js'
import type { ThisDesk } from '../../core/desk/start-at-login.js'
import { stopRunningNode } from '../../core/desk/stop-node.js'
import { peSubsystem, SUBSYSTEM_WINDOWS_GUI } from '../../core/desk/windows-launcher.js'
import { VERSION } from '../../core/runtime/build-info.js'
import { cliArgs } from '../helpers/built-cli.js'
import { consoleImage, fakeRegistry, fakeWindowsDisk, type FakeRegistry, type FakeWindowsDisk } from '../helpers/fake-windows.js'
import { stopBeforeRemoving, tempHome } from '../helpers/nodes.js'

const ICON = await readFile(fileURLToPath(new URL('../../ui/public/icons/icon-192.png', import.meta.url)))
const WINDOWS: DeskEnv = { home: 'C:\\Users\\Ana', env: { LOCALAPPDATA: 'C:\\Users\\Ana\\AppData\\Local', APPDATA: 'C:\\Users\\Ana\\AppData\\Roaming' } }
const DOWNLOADED = 'C:\\Users\\Ana\\Downloads\\causette-0.1.0-win-x64.exe'
const INSTALLED = installedExecutablePath('win32', WINDOWS)
const LAUNCHER = windowsLauncherPath(WINDOWS)
const START_OPTIONS = '--no-mdns --listen 127.0.0.1 --port 0 --api-port 0'

/** A release executable's bytes: a console program's headers, then `mark` to tell two builds apart. */
function program (mark: number): Uint8Array {
  const image = consoleImage()
  image[400] = mark
  return image
}

/** A version after this one. */
const NEWER = `${Number(VERSION.split('.')[0]) + 1}.0.0`

interface Click {
  out: string[]
  /** Whether the run asked for its console window to stay open until read. */
  keptOpen: boolean
}

interface Office {
  profile: string
  /** The commands the node was started with, in order. */
  started: SelfCommand[]
  click: (desk: ThisDesk) => Promise<Click>
}

/** A temporary profile, and a double-click whose node starts from source in the background while its command is noted. */
async function office (t: TestContext): Promise<Office> {
  const home = await tempHome(t, 'causette-first-click-')
  const profile = join(home, 'profile')
  stopBeforeRemoving(home, async () => { await stopRunningNode(profile) })
  const env = { ...process.env, HOME: home, CAUSETTE_HOME: profile, BROWSER: 'true', CAUSETTE_START_OPTIONS: START_OPTIONS }
  const started: SelfCommand[] = []
  const start = async (request: BackgroundStart): Promise<string> => {
    started.push(request.command)
    return await startInBackground({ ...request, command: { file: process.execPath, args: [...cliArgs(), ...request.command.args] } })
  }
  const click = async (desk: ThisDesk): Promise<Click> => {
    const out: string[] = []
    let keptOpen = false
    const code = await doubleClick({ home: profile, json: false, argv: [], out: line => { out.push(line) }, err: line => { out.push(line) } }, env,
      { desk, start, keepWindowOpen: () => { keptOpen = true } })
    assert.equal(code, 0, out.join('\n'))
    return { out, keptOpen }
  }
  return { profile, started, click }
}

interface WindowsDesk {
  desk: ThisDesk
  disk: FakeWindowsDisk
  /** Each file the double-click wrote, as `wrote PATH`. */
  writes: string[]
  /** Every command line it ran (reg.exe, powershell.exe, a program's --version). */
  calls: string[][]
  runKey: Map<string, string>
  /** The uninstall key: causette's entry in Settings > Apps. */
  appsEntry: FakeRegistry['appsEntry']
  /** What each program answers to --version. */
  versions: Map<string, string>
}

/** Ana's Windows PC with the downloaded file in her Downloads folder, run from there. */
function windowsDesk (): WindowsDesk {
  const writes: string[] = []
  const disk = fakeWindowsDisk(writes)
  disk.contents.set(DOWNLOADED, program(1))
  const registry = fakeRegistry()
  const versions = new Map<string, string>()
  const run: RunCommand = async (file, args) => {
    if (args[0] !== '--version') return await registry.run(file, args)
    registry.calls.push([file, ...args])
    const version = versions.get(file)
    return version === undefined ? { code: 1, stdout: '', stderr: 'not a program' } : { code: 0, stdout: `${JSON.stringify({ version })}\n`, stderr: '' }
  }
  const desk: ThisDesk = { platform: 'win32', deskEnv: WINDOWS, program: DOWNLOADED, run, icon: ICON, files: disk.files }
  return { desk, disk, writes, calls: registry.calls, runKey: registry.values, appsEntry: registry.appsEntry, versions }
}

function startCommand (file: string, profile: string): SelfCommand {
  return { file, args: ['start', '--home', profile, ...START_OPTIONS.split(' ')] }
}

describe('the first double-click on Windows', () => {
  it('installs the program, its launcher and Start menu entry, registers no Run key, and starts the node from the installed copy', async (t) => {
    const { profile, started, click } = await office(t)
    const windows = windowsDesk()

    const first = await click(windows.desk)
    assert.deepEqual(started, [startCommand(INSTALLED, profile)], 'the node runs from the installed path, the one the firewall asks about')
    assert.ok(await runningAppUrl(profile) !== undefined, 'and it answers')
    assert.deepEqual(windows.disk.contents.get(INSTALLED), program(1))
    assert.equal(peSubsystem(windows.disk.contents.get(LAUNCHER)!), SUBSYSTEM_WINDOWS_GUI)
    assert.deepEqual(windows.writes, [`wrote ${INSTALLED}`, `wrote ${LAUNCHER}`, `wrote ${launcherVersionPath(WINDOWS)}`, `wrote ${windowsIconPath(WINDOWS)}`])
    assert.equal(Buffer.from(windows.disk.contents.get(launcherVersionPath(WINDOWS))!).toString(), VERSION, 'the launcher is of the version installed')
    const shortcut = shortcutScript({ shortcut: startMenuShortcutPath(WINDOWS), command: menuCommand('win32', WINDOWS, profile), icon: windowsIconPath(WINDOWS) })
    assert.deepEqual(windows.calls[0], ['powershell.exe', ...powershellArgs(shortcut)], 'the Start menu shortcut to the launcher, on this profile; no version asked of a copy that is not there')
    assert.deepEqual(windows.calls.slice(1).map(([file, verb]) => `${file} ${verb}`), ['reg.exe query', ...Array<string>(9).fill('reg.exe add')],
      'then its entry in Settings > Apps, value by value (desk-apps-entry.test.ts reads each line)')
    assert.equal(windows.appsEntry.get('UninstallString')?.data, `"${INSTALLED}" uninstall --pause --home ${profile}`)
    assert.equal(windows.runKey.size, 0, 'start at login stays off until the person turns it on')
    assert.ok(first.out.includes(`causette ${VERSION} is installed in C:\\Users\\Ana\\AppData\\Local\\Programs\\causette.`), first.out.join('\n'))
    assert.ok(first.out.includes(`From now on, open causette from the Start menu. You can delete the downloaded file ${DOWNLOADED}.`), first.out.join('\n'))
    assert.equal(first.keptOpen, true, 'the window stays until read')
  })

  it('with a node running only opens the app: nothing is copied, nothing asked; once stopped, the same file starts the installed copy with nothing to copy', async (t) => {
    const { profile, started, click } = await office(t)
    const windows = windowsDesk()
    await click(windows.desk)
    windows.writes.length = 0
    windows.calls.length = 0

    windows.disk.contents.set(DOWNLOADED, program(2)) // another build downloaded meanwhile
    const again = await click(windows.desk)
    assert.ok(again.out.includes('causette was already running.'), again.out.join('\n'))
    assert.deepEqual(windows.writes, [], 'never copied over a running program')
    assert.equal(windows.calls.length, 0, 'no version asked, no shortcut written')
    assert.deepEqual(windows.disk.contents.get(INSTALLED), program(1))
    assert.equal(started.length, 1)
    assert.equal(again.keptOpen, false)

    assert.equal(await stopRunningNode(profile), true)
    windows.disk.contents.set(DOWNLOADED, program(1))
    const sameFile = await click(windows.desk)
    assert.deepEqual(started[1], startCommand(INSTALLED, profile))
    assert.deepEqual(windows.writes, [], 'the same bytes: nothing to copy')
    assert.equal(windows.calls.filter(([, first]) => first === '--version').length, 0, 'no version asked of the same bytes')
    assert.ok(sameFile.out.includes(`causette ${VERSION} is installed in C:\\Users\\Ana\\AppData\\Local\\Programs\\causette.`), sameFile.out.join('\n'))
    assert.equal(sameFile.keptOpen, false, 'nothing new to read')
  })

  it('leaves a newer installed version (an update) in place and starts it; an older one is replaced', async (t) => {
    const { profile, started, click } = await office(t)
    const windows = windowsDesk()
    windows.disk.contents.set(INSTALLED, program(9))
    windows.versions.set(INSTALLED, NEWER)

    const kept = await click(windows.desk)
    assert.deepEqual(started, [startCommand(INSTALLED, profile)])
    assert.deepEqual(windows.disk.contents.get(INSTALLED), program(9), 'not downgraded')
    assert.deepEqual(windows.writes, [])
    assert.deepEqual(windows.calls, [[INSTALLED, '--version', '--json']], 'its version asked, nothing written')
    assert.ok(kept.out.includes(`A newer causette (version ${NEWER}) is already installed in C:\\Users\\Ana\\AppData\\Local\\Programs\\causette: that one starts, not this downloaded file (version ${VERSION}).`), kept.out.join('\n'))
    assert.equal(kept.keptOpen, true)

    assert.equal(await stopRunningNode(profile), true)
    windows.versions.set(INSTALLED, '0.0.0')
    const replaced = await click(windows.desk)
    assert.deepEqual(started[1], startCommand(INSTALLED, profile))
    assert.deepEqual(windows.disk.contents.get(INSTALLED), program(1))
    assert.ok(replaced.out.includes(`causette ${VERSION} is installed in C:\\Users\\Ana\\AppData\\Local\\Programs\\causette, in place of version 0.0.0.`), replaced.out.join('\n'))
  })

  it('a copy that fails starts the node from the downloaded file, and says why and that the firewall will ask again', async (t) => {
    const { profile, started, click } = await office(t)
    const windows = windowsDesk()
    windows.disk.refused.set(INSTALLED, 'EPERM')

    const click1 = await click(windows.desk)
    assert.deepEqual(started, [startCommand(DOWNLOADED, profile)], 'the start does not fail')
    assert.ok(await runningAppUrl(profile) !== undefined)
    assert.equal(windows.disk.contents.has(INSTALLED), false)
    assert.equal(windows.disk.contents.has(LAUNCHER), false)
    assert.deepEqual(windows.calls, [], 'no shortcut to a program that is not there')
    assert.equal(windows.runKey.size, 0)
    const said = click1.out.join('\n')
    assert.match(said, /^causette could not be installed in C:\\Users\\Ana\\AppData\\Local\\Programs\\causette: EPERM/m)
    assert.ok(click1.out.includes(`It runs from the downloaded file ${DOWNLOADED} this time: keep that file, it is how you open causette.`), said)
    assert.match(said, /Windows Defender Firewall will ask about it again/)
    assert.ok(said.indexOf('could not be installed') < said.indexOf('causette is running.'), 'said before the node answers')
    assert.equal(click1.keptOpen, true)
  })
})

describe('Settings > Apps on Windows', () => {
  it('runs the uninstall its entry names, from the installed copy: the node stops, everything else goes, the program once this process ends, and the window stays until read', async (t) => {
    const { profile, click } = await office(t)
    const windows = windowsDesk()
    await click(windows.desk)
    assert.ok(await runningAppUrl(profile) !== undefined)
    // What Settings > Apps runs: the installed program, on this profile, in a console window of its own.
    const [program, command, pause, home, profileArg] = windows.appsEntry.get('UninstallString')!.data.split(' ')
    assert.deepEqual([program, command, pause, home, profileArg], [`"${INSTALLED}"`, 'uninstall', '--pause', '--home', profile])
    windows.disk.contents.set(startMenuShortcutPath(WINDOWS), new Uint8Array(1)) // as PowerShell wrote it
    windows.disk.running.add(INSTALLED)

    const out: string[] = []
    let keptOpen = false
    const launched: Array<{ file: string, script: string }> = []
    const code = await runUninstall({ home: profile, json: false, argv: ['--pause'], out: line => { out.push(line) }, err: line => { out.push(line) }, keepWindowOpen: () => { keptOpen = true } }, {
      desk: windows.desk,
      self: { executable: INSTALLED, pid: process.pid },
      launch: (file, args) => { launched.push({ file, script: Buffer.from(args.at(-1)!, 'base64').toString('utf16le') }) }
    })
    assert.equal(code, 0, out.join('\n'))
    assert.equal(keptOpen, true, 'the window stays until Enter')
    assert.equal(await runningAppUrl(profile), undefined, 'the node was stopped first')
    assert.equal(windows.appsEntry.size, 0, 'gone from Settings > Apps')
    const moved = `C:\\Users\\Ana\\AppData\\Local\\Temp\\causette.exe.${process.pid}.uninstalled`
    assert.deepEqual([...windows.disk.contents.keys()], [DOWNLOADED, moved], 'only the downloaded file, and the running program moved aside')
    assert.equal(launched.length, 1)
    assert.equal(launched[0]!.file, 'powershell.exe')
    assert.match(launched[0]!.script, new RegExp(`; Wait-Process -Id ${process.pid} `), 'waits for this very process')
    assert.ok(launched[0]!.script.includes(`[System.IO.File]::Delete('${moved}')`), launched[0]!.script)
    assert.ok(launched[0]!.script.includes("[System.IO.Directory]::Delete('C:\\Users\\Ana\\AppData\\Local\\Programs\\causette')"), launched[0]!.script)
    assert.deepEqual(out, [
      'causette was running on this profile: it is stopped.',
      `absent   start at login (HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\causette)`,
      `removed  the Start menu shortcut ${startMenuShortcutPath(WINDOWS)}`,
      `removed  its icon ${windowsIconPath(WINDOWS)}`,
      `removed  its windowless launcher at ${LAUNCHER}`,
      'removed  its entry in Settings > Apps (HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\causette)',
      `removed  the program at ${INSTALLED} (the copy running this uninstall is deleted as soon as it ends)`,
      'causette is uninstalled.',
      `Your profile stays in ${profile}. To delete it too (your keys and messages, for ever), delete that folder, or run: rmdir /s /q "${profile}"`
    ])
  })
})

describe('the first double-click on Linux and macOS', () => {
  it('installs nothing and starts the node from the file itself, as before', async (t) => {
    const { profile, started, click } = await office(t)
    for (const platform of ['linux', 'darwin'] as DeskPlatform[]) {
      const home = join(profile, '..', `user-${platform}`)
      const deskEnv = { home, env: {} }
      const downloaded = join(home, 'Downloads', `causette-0.1.0-${platform}-x64`)
      const run: RunCommand = async (file) => { throw new Error(`${file} must not run: nothing is installed`) }
      const { out, keptOpen } = await click({ platform, deskEnv, program: downloaded, run, icon: ICON })
      assert.deepEqual(started.at(-1), startCommand(downloaded, profile), platform)
      await assert.rejects(access(installedExecutablePath(platform, deskEnv)), { code: 'ENOENT' }, platform)
      assert.doesNotMatch(out.join('\n'), /install/, platform)
      assert.equal(keptOpen, false)
      assert.equal(await stopRunningNode(profile), true)
    }
  })
})
