// `causette install` / `uninstall` on Linux under a temporary HOME and XDG directories: a real copy
// of a real executable, a real unit file and enable link, the applications menu entry (checked by
// desktop-file-validate) and its icon, each run twice (the second changes nothing); a Mac's install
// and its app bundle, written on Linux under a temporary home, its script run; the app's Start at
// login switch as the node runs it; a newer installed copy kept unless forced; and the CLI's own
// refusals and messages, as real processes.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { access, chmod, mkdir, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { isCausetteError } from '../../core/errors.js'
import { appInfoPlist } from '../../core/desk/app-bundle.js'
import { autostartState } from '../../core/desk/autostart.js'
import { DISK, type DeskFiles } from '../../core/desk/files.js'
import { install, uninstall } from '../../core/desk/install.js'
import type { DeskEnv } from '../../core/desk/locations.js'
import { runCommand, type RunCommand } from '../../core/desk/run-command.js'
import { VERSION } from '../../core/runtime/build-info.js'
import { setStartAtLogin, startAtLoginState, type ThisDesk } from '../../core/desk/start-at-login.js'
import { cliArgs } from '../helpers/built-cli.js'
import { runningUnderCi } from '../helpers/lan-requirement.js'
import { tempHome } from '../helpers/nodes.js'

type UserDirs = NodeJS.ProcessEnv & { HOME: string, XDG_CONFIG_HOME: string, XDG_BIN_HOME: string, XDG_DATA_HOME: string, XDG_RUNTIME_DIR: string }

/** The app's icon as the packager packs it (ui/public/icons/icon-192.png). */
const ICON = await readFile(fileURLToPath(new URL('../../ui/public/icons/icon-192.png', import.meta.url)))

/** desktop-file-validate's complaints about a desktop entry ('' when none); under CI the tool must be there. */
async function desktopFileProblems (t: TestContext, path: string): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await promisify(execFile)('desktop-file-validate', [path])
    return `${stdout}${stderr}`
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string }
    if (failure.code !== 'ENOENT') return failure.stdout ?? failure.message
    if (runningUnderCi()) throw new Error('desktop-file-validate is missing (scripts/install-tools.sh installs desktop-file-utils), and CI must run it')
    t.diagnostic('desktop-file-validate is not installed: the menu entry was not validated')
    return undefined
  }
}
interface Desk { deskEnv: DeskEnv, profile: string, executable: string, env: UserDirs }

/** A temporary user: HOME, XDG directories (no user manager in XDG_RUNTIME_DIR) and a program to install. */
async function temporaryDesk (t: TestContext): Promise<Desk> {
  const home = await tempHome(t, 'causette-desk-')
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_BIN_HOME: join(home, 'bin'), XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: join(home, 'run') }
  await mkdir(env.XDG_RUNTIME_DIR)
  const executable = join(home, 'Downloads', 'causette-linux-x64')
  await mkdir(join(home, 'Downloads'))
  await writeFile(executable, '#!/bin/sh\necho "causette $*"\n')
  await chmod(executable, 0o755)
  const profile = join(home, '.causette')
  await mkdir(profile)
  await writeFile(join(profile, 'keys.json'), '{}')
  return { deskEnv: { home, env }, profile, executable, env }
}

const NEVER_RUN: RunCommand = async (file) => { throw new Error(`no user manager here: ${file} must not run`) }

describe('causette install on Linux', () => {
  it('copies the program, registers the systemd user unit and adds the menu entry; twice changes nothing the second time', async (t) => {
    const { deskEnv, profile, executable, env } = await temporaryDesk(t)
    const options = { platform: 'linux' as const, deskEnv, profile, source: executable, nodeRunning: false, run: NEVER_RUN, icon: ICON }
    const first = await install(options)
    assert.deepEqual(first.map(step => step.changed), [true, true, true, true, true])

    const installed = join(env.XDG_BIN_HOME, 'causette')
    assert.deepEqual(await readFile(installed), await readFile(executable))
    assert.equal((await stat(installed)).mode & 0o777, 0o755)
    const { stdout } = await promisify(execFile)(installed, ['start'])
    assert.equal(stdout, 'causette start\n', 'the copy runs')
    const unit = join(env.XDG_CONFIG_HOME, 'systemd', 'user', 'causette.service')
    assert.match(await readFile(unit, 'utf8'), new RegExp(`^ExecStart="${installed}" "start" "--home" "${profile}"$`, 'm'))
    assert.match(await readFile(unit, 'utf8'), /^Restart=on-failure$/m)
    const wants = join(env.XDG_CONFIG_HOME, 'systemd', 'user', 'default.target.wants', 'causette.service')
    assert.equal(await readlink(wants), '../causette.service')
    assert.equal(await readFile(wants, 'utf8'), await readFile(unit, 'utf8'), 'the link resolves to the unit')
    assert.deepEqual(await autostartState('linux', deskEnv), { enabled: true, how: 'systemd', where: unit })

    // The menu entry opens the app as a double-click does (no command), on this profile, with the app's icon.
    const entry = join(env.XDG_DATA_HOME, 'applications', 'causette.desktop')
    const icon = join(env.XDG_DATA_HOME, 'icons', 'hicolor', '192x192', 'apps', 'causette.png')
    assert.match(await readFile(entry, 'utf8'), new RegExp(`^Exec="${installed}" "--home" "${profile}"$`, 'm'))
    assert.match(await readFile(entry, 'utf8'), new RegExp(`^Icon=${icon}$`, 'm'))
    assert.deepEqual(await readFile(icon), ICON)
    assert.equal(await desktopFileProblems(t, entry) ?? '', '', 'desktop-file-validate finds nothing to say')

    const unitWritten = (await stat(unit)).mtimeMs
    const second = await install(options)
    assert.deepEqual(second.map(step => step.changed), [false, false, false, false, false])
    assert.equal((await stat(unit)).mtimeMs, unitWritten)

    // `systemctl --user enable` writes an absolute link where we wrote a relative one: the same thing.
    await rm(wants)
    await symlink(unit, wants)
    assert.deepEqual((await install(options)).map(step => step.changed), [false, false, false, false, false], 'an absolute link to the unit is enabled too')

    const fromInstalledCopy = await install({ ...options, source: installed })
    assert.deepEqual(fromInstalledCopy.map(step => step.changed), [false, false, false, false, false], 'installing from the installed copy changes nothing')

    // An update kept the version it replaced beside the program, and put a rolled-back one aside.
    const kept = [`${installed}.previous`, `${installed}.failed`]
    for (const path of kept) await writeFile(path, 'an earlier causette')
    assert.deepEqual((await uninstall(options)).map(step => step.changed), [true, true, true, true, true, true, true])
    for (const path of [installed, ...kept, unit, wants, entry, icon]) await assert.rejects(access(path), { code: 'ENOENT' }, path)
    assert.deepEqual(await autostartState('linux', deskEnv), { enabled: false, how: 'systemd', where: unit })
    assert.deepEqual((await uninstall(options)).map(step => step.changed), [false, false, false, false, false])
    assert.equal(await readFile(join(profile, 'keys.json'), 'utf8'), '{}', 'the profile is never touched')
    await access(executable)
  })

  it('tells a reachable user manager: reload and enable --now, or only enable when a node already runs', async (t) => {
    const { deskEnv, profile, executable, env } = await temporaryDesk(t)
    await mkdir(join(env.XDG_RUNTIME_DIR, 'systemd'))
    await writeFile(join(env.XDG_RUNTIME_DIR, 'systemd', 'private'), '')
    const calls: string[] = []
    const run: RunCommand = async (file, args) => {
      calls.push([file, ...args].join(' '))
      return { code: 0, stdout: '', stderr: '' }
    }
    const options = { platform: 'linux' as const, deskEnv, profile, source: executable, run }
    await install({ ...options, nodeRunning: false })
    assert.deepEqual(calls.splice(0), ['systemctl --user daemon-reload', 'systemctl --user enable --now causette.service'])
    await install({ ...options, nodeRunning: true })
    assert.deepEqual(calls.splice(0), ['systemctl --user enable causette.service'], 'nothing to reload; the running node is left alone')
    await uninstall(options)
    assert.deepEqual(calls.splice(0), ['systemctl --user disable --now causette.service', 'systemctl --user daemon-reload'])
    await uninstall(options)
    assert.deepEqual(calls, [], 'nothing to disable the second time')
  })
})

describe('causette install over a newer installed copy (an update reached it since the download)', () => {
  /** The installed copy: a program that answers `--version --json` with `version` (undefined: it fails). */
  async function installedAnswering (path: string, version: string | undefined): Promise<Uint8Array> {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, version === undefined ? '#!/bin/sh\nexit 1\n' : `#!/bin/sh\necho '${JSON.stringify({ version })}'\n`)
    await chmod(path, 0o755)
    return await readFile(path)
  }

  it('keeps a newer copy and changes nothing, saying what to do, unless forced; the same version, one that tells none or a pre-release is replaced', async (t) => {
    const { deskEnv, profile, executable, env } = await temporaryDesk(t)
    const installed = join(env.XDG_BIN_HOME, 'causette')
    const unit = join(env.XDG_CONFIG_HOME, 'systemd', 'user', 'causette.service')
    // The installed copy really runs to tell its version; nothing else may.
    const run: RunCommand = async (file, args) => file === installed ? await runCommand(file, args) : await NEVER_RUN(file, args)
    const options = { platform: 'linux' as const, deskEnv, profile, source: executable, nodeRunning: false, run, icon: ICON }

    const newer = await installedAnswering(installed, '99.0.0')
    await assert.rejects(install(options), (error: Error) => isCausetteError(error, 'DESK_NEWER_INSTALLED') &&
      error.message === `causette 99.0.0 is installed at ${installed}, newer than this program (${VERSION}), so nothing was changed: start causette from your menu, which runs 99.0.0.`)
    assert.deepEqual(await readFile(installed), newer, 'the newer copy is kept')
    await assert.rejects(access(unit), { code: 'ENOENT' }, 'nothing registered')
    // The app's Start at login switch, from a node running the older file, refuses alike.
    await assert.rejects(setStartAtLogin({ platform: 'linux', deskEnv, program: executable, run, icon: ICON }, profile, true), (error: Error) => isCausetteError(error, 'DESK_NEWER_INSTALLED'))
    assert.deepEqual(await readFile(installed), newer)

    const forced = await install({ ...options, force: true })
    assert.deepEqual(forced.map(step => step.changed), [true, true, true, true, true], '--force puts this version in its place')
    assert.deepEqual(await readFile(installed), await readFile(executable))

    for (const answer of [VERSION, undefined, '99.0.0-beta.1']) {
      await installedAnswering(installed, answer)
      const steps = await install(options)
      assert.equal(steps[0]!.changed, true, `an installed copy answering ${String(answer)} is replaced`)
      assert.deepEqual(await readFile(installed), await readFile(executable))
    }
    assert.deepEqual((await install(options)).map(step => step.changed), [false, false, false, false, false], 'the same bytes: nothing to ask, nothing changed')
  })
})

describe('causette install on macOS (a Mac\'s paths under a temporary home)', () => {
  it('writes the app bundle in ~/Applications, whose script opens the app as a double-click does; a second install changes nothing, another profile replaces it; uninstall removes it', async (t) => {
    const root = await tempHome(t, 'causette-mac-')
    // A home folder with a space and a quote, a profile with a dollar sign and double quotes: each stays one argument.
    const home = join(root, "Ana O'Brien")
    const deskEnv = { home, env: {} }
    const source = join(root, 'causette-darwin-arm64')
    await writeFile(source, '#!/bin/sh\nprintf \'%s\\n\' "$@"\n')
    await chmod(source, 0o755)
    const calls: string[] = []
    const run: RunCommand = async (file, args) => {
      calls.push([file, ...args].join(' '))
      return { code: 0, stdout: '', stderr: '' }
    }
    const icon = await readFile(fileURLToPath(new URL('../../ui/public/icons/icon-512.png', import.meta.url)))
    const options = { platform: 'darwin' as const, deskEnv, profile: join(home, '.causette "x" $HOME'), source, nodeRunning: true, run, icon }
    const installed = join(home, 'Library', 'Application Support', 'causette', 'causette')
    const agent = join(home, 'Library', 'LaunchAgents', 'org.causette.node.plist')
    const bundle = join(home, 'Applications', 'causette.app')
    const script = join(bundle, 'Contents', 'MacOS', 'causette')
    const icns = join(bundle, 'Contents', 'Resources', 'causette.icns')
    const what = [`the program at ${installed}`, `its icon ${icns}`, `the app in your Applications folder ${bundle}`, `LaunchAgent ${agent}`]
    const steps = (...changed: boolean[]): Array<{ changed: boolean, what: string }> => changed.map((flag, index) => ({ changed: flag, what: what[index] }))

    assert.deepEqual(await install(options), steps(true, true, true, true))
    assert.deepEqual(calls.splice(0), [], 'a node runs: launchd is not asked to start another')
    const bundleFiles = async (): Promise<string[]> => (await readdir(bundle, { recursive: true })).sort()
    assert.deepEqual(await bundleFiles(), ['Contents', 'Contents/Info.plist', 'Contents/MacOS', 'Contents/MacOS/causette', 'Contents/Resources', 'Contents/Resources/causette.icns'])
    assert.equal(await readFile(join(bundle, 'Contents', 'Info.plist'), 'utf8'), appInfoPlist({ icon: true }), 'the Info.plist desk-autostart-text.test.ts reads back')
    assert.equal((await stat(script)).mode & 0o777, 0o755)
    assert.deepEqual((await readFile(icns)).subarray(16), icon, 'the icon\'s PNG, after the .icns header and its entry\'s')
    // Run as Launchpad runs it: the script execs the installed program with the profile, nothing else.
    const opened = async (): Promise<string[]> => (await promisify(execFile)(script)).stdout.split('\n').slice(0, -1)
    assert.deepEqual(await opened(), ['--home', options.profile])
    assert.equal((await startAtLoginState({ platform: 'darwin', deskEnv, program: source, run })).menu, bundle)

    assert.deepEqual(await install(options), steps(false, false, false, false))
    const other = { ...options, profile: join(home, 'Work profile') }
    assert.deepEqual(await install(other), steps(false, false, true, true))
    assert.deepEqual(await opened(), ['--home', other.profile], 'the script was replaced')
    assert.equal((await bundleFiles()).length, 6, 'nothing left beside it')

    assert.deepEqual((await uninstall(options)).filter(step => step.what === what[2]), [{ changed: true, what: what[2] }])
    await assert.rejects(access(bundle), { code: 'ENOENT' })
    await access(join(home, 'Applications'))
    assert.equal((await startAtLoginState({ platform: 'darwin', deskEnv, program: source, run })).menu, null)
    assert.deepEqual((await uninstall(options)).map(step => step.changed), [false, false, false])
  })
})

describe("the app's Start at login switch (what the node runs for PUT /autostart)", () => {
  it('on installs from the program the node runs from, starting nothing; off removes the autostart alone; a failed step says which', async (t) => {
    const { deskEnv, profile, executable, env } = await temporaryDesk(t)
    await mkdir(join(env.XDG_RUNTIME_DIR, 'systemd'))
    await writeFile(join(env.XDG_RUNTIME_DIR, 'systemd', 'private'), '')
    const calls: string[] = []
    let refusal: string | undefined
    const run: RunCommand = async (file, args) => {
      calls.push([file, ...args].join(' '))
      return refusal === undefined ? { code: 0, stdout: '', stderr: '' } : { code: 1, stdout: '', stderr: refusal }
    }
    const desk: ThisDesk = { platform: 'linux', deskEnv, program: executable, run, icon: ICON }
    const unit = join(env.XDG_CONFIG_HOME, 'systemd', 'user', 'causette.service')
    const entry = join(env.XDG_DATA_HOME, 'applications', 'causette.desktop')
    const installed = join(env.XDG_BIN_HOME, 'causette')
    assert.deepEqual(await startAtLoginState(desk), { enabled: false, how: 'systemd', where: unit, program: executable, menu: null })

    await setStartAtLogin(desk, profile, true)
    assert.deepEqual(calls.splice(0), ['systemctl --user daemon-reload', 'systemctl --user enable causette.service'], 'no --now: the node asking is running')
    assert.deepEqual(await startAtLoginState(desk), { enabled: true, how: 'systemd', where: unit, program: executable, menu: entry })
    assert.deepEqual(await readFile(installed), await readFile(executable))

    await setStartAtLogin(desk, profile, false)
    assert.deepEqual(calls.splice(0), ['systemctl --user disable causette.service', 'systemctl --user daemon-reload'], 'no --now: this node may be the one login started')
    assert.deepEqual(await startAtLoginState(desk), { enabled: false, how: 'systemd', where: unit, program: executable, menu: entry }, 'the way back to the app stays')
    await access(installed)

    refusal = 'Failed to connect to bus: No medium found\n'
    await assert.rejects(setStartAtLogin(desk, profile, true), (error: Error) => isCausetteError(error, 'DESK_FAILED') &&
      error.message === 'start at login could not be turned on: systemctl --user daemon-reload failed: Failed to connect to bus: No medium found')
    await assert.rejects(setStartAtLogin({ ...desk, program: null }, profile, true), (error: Error) => isCausetteError(error, 'DESK_NOT_PACKAGED') && /runs from its source code/.test(error.message))
    await assert.rejects(setStartAtLogin({ ...desk, platform: undefined }, profile, true), (error: Error) => isCausetteError(error, 'DESK_UNSUPPORTED'))
  })
})

describe("the Start at login switch clicked faster than it acts", () => {
  // On copies the program (120 MB: seconds) before it registers; an off clicked meanwhile found nothing
  // to remove and answered, then the on registered: start at login stayed on against the last click.
  it('on then off before the on is done ends off: each click acts in turn, in the order clicked', async (t) => {
    const { deskEnv, profile, executable } = await temporaryDesk(t)
    let copyStarted: () => void = () => {}
    const copying = new Promise<void>(resolve => { copyStarted = resolve })
    let finishCopy: () => void = () => {}
    const copyHeld = new Promise<void>(resolve => { finishCopy = resolve })
    const files: DeskFiles = { ...DISK, read: async path => { if (path === executable) { copyStarted(); await copyHeld } return await DISK.read(path) } }
    const desk: ThisDesk = { platform: 'linux', deskEnv, program: executable, run: NEVER_RUN, icon: ICON, files }

    const on = setStartAtLogin(desk, profile, true)
    await copying
    const off = setStartAtLogin(desk, profile, false)
    finishCopy()
    await Promise.all([on, off])
    assert.equal((await startAtLoginState(desk)).enabled, false, 'the last click wins')
  })
})

describe('causette install and uninstall, the commands', () => {
  async function cli (env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
    return await new Promise(resolve => {
      execFile(process.execPath, [...cliArgs(), ...args], { env: { ...process.env, CAUSETTE_HOME: undefined, ...env } }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr })
      })
    })
  }

  it('refuses to install from a source checkout, and says what to run instead', async (t) => {
    const { env } = await temporaryDesk(t)
    for (const args of [['install'], ['install', '--force']]) {
      const result = await cli(env, ...args)
      assert.equal(result.code, 1)
      assert.match(result.stderr, /install copies the causette program file, and this is causette running from its source code/)
      assert.match(result.stderr, /npm run package/)
    }
    await assert.rejects(access(join(env.XDG_BIN_HOME, 'causette')), { code: 'ENOENT' })
    const help = await cli(env, 'install', '--help')
    assert.match(help.stdout, /^causette install \[--home DIR\] \[--force\] \[--json\]$/m)
    assert.match(help.stdout, /--force puts this older version in its place/)
  })

  it('uninstalls what is there, then says nothing changed, and how to remove the profile', async (t) => {
    const { deskEnv, profile, executable, env } = await temporaryDesk(t)
    await install({ platform: 'linux', deskEnv, profile, source: executable, nodeRunning: false, run: NEVER_RUN, icon: ICON })
    const first = await cli(env, 'uninstall')
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stdout, /^removed +the program at .*\/bin\/causette$/m)
    assert.match(first.stdout, /^removed +the applications menu entry .*\/data\/applications\/causette\.desktop$/m)
    assert.match(first.stdout, /^causette is uninstalled\.$/m)
    assert.match(first.stdout, new RegExp(`Your profile stays in ${profile}\\. To delete it too .* run: rm -rf '${profile}'\\.`))
    const second = await cli(env, 'uninstall')
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stdout, /^causette was not installed: nothing changed\.$/m)
    assert.doesNotMatch(second.stdout, /^removed/m)
    assert.equal(await readFile(join(profile, 'keys.json'), 'utf8'), '{}')
  })
  it('`uninstall --pause` asks main.ts to keep its console window open until Enter, as Settings > Apps runs it on Windows; without --pause it asks nothing', async (t) => {
    const { env } = await temporaryDesk(t)
    const run = fileURLToPath(new URL('../../core/cli/run.ts', import.meta.url))
    // The CLI as main.ts runs it, with a keepWindowOpen that says when it is asked.
    const script = `const { runCli } = await import(${JSON.stringify(run)}); process.exitCode = await runCli(process.argv.slice(1), { out: console.log, err: console.error, env: process.env, keepWindowOpen: () => console.log('(window kept open)') })`
    const cliWithWindow = async (...args: string[]): Promise<{ code: number, stdout: string, stderr: string }> => await new Promise(resolve => {
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], { env: { ...process.env, CAUSETTE_HOME: undefined, ...env } }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr })
      })
    })
    const paused = await cliWithWindow('uninstall', '--pause')
    assert.equal(paused.code, 0, paused.stderr)
    assert.match(paused.stdout, /^\(window kept open\)\n/, 'asked first, so that a failure stays on screen too')
    assert.match(paused.stdout, /^causette was not installed: nothing changed\.$/m)
    const plain = await cliWithWindow('uninstall')
    assert.equal(plain.code, 0, plain.stderr)
    assert.doesNotMatch(plain.stdout, /window kept open/)
  })
})
