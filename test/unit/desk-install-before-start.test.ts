// What a double-click starts the node from (core/desk/install-before-start.ts) in the cases the
// double-click's own tests (test/integration/desk-first-double-click.test.ts) do not start a node
// for, and what its console window says of each (core/cli/install-words.ts). A Windows desk in
// memory, on Linux.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { installWords } from '../../core/cli/install-words.js'
import type { DeskFiles } from '../../core/desk/files.js'
import { installBeforeStart } from '../../core/desk/install-before-start.js'
import { installedExecutablePath, windowsLauncherPath, type DeskEnv } from '../../core/desk/locations.js'
import type { RunCommand } from '../../core/desk/run-command.js'
import type { ThisDesk } from '../../core/desk/start-at-login.js'
import { VERSION } from '../../core/runtime/build-info.js'
import { consoleImage, fakeWindowsDisk } from '../helpers/fake-windows.js'

const WINDOWS: DeskEnv = { home: 'C:\\Users\\Ana', env: { LOCALAPPDATA: 'C:\\Users\\Ana\\AppData\\Local' } }
const DOWNLOADED = 'C:\\Users\\Ana\\Downloads\\causette-win-x64.exe'
const INSTALLED = installedExecutablePath('win32', WINDOWS)
const PROFILE = 'C:\\Users\\Ana\\.causette'

/** A desk whose installed copy holds other bytes and answers `--version` with `answer` (undefined: it answers nothing); the shortcut is written unless `shortcutRefusal`, the registry unless `regRefusal`. */
function desk ({ answer, shortcutRefusal, regRefusal }: { answer?: string, shortcutRefusal?: string, regRefusal?: string }): { desk: ThisDesk, disk: ReturnType<typeof fakeWindowsDisk> } {
  const disk = fakeWindowsDisk()
  const installed = consoleImage()
  installed[400] = 7
  disk.contents.set(DOWNLOADED, consoleImage())
  disk.contents.set(INSTALLED, installed)
  const run: RunCommand = async (file, args) => {
    if (args[0] === '--version') return answer === undefined ? { code: 1, stdout: '', stderr: 'no' } : { code: 0, stdout: JSON.stringify({ version: answer }), stderr: '' }
    if (file === 'powershell.exe' && shortcutRefusal !== undefined) return { code: 1, stdout: '', stderr: shortcutRefusal }
    if (file === 'reg.exe' && regRefusal !== undefined) return { code: 1, stdout: '', stderr: regRefusal }
    return { code: 0, stdout: 'changed', stderr: '' }
  }
  return { desk: { platform: 'win32', deskEnv: WINDOWS, program: DOWNLOADED, run, files: disk.files }, disk }
}

describe('installBeforeStart', () => {
  it('replaces an installed copy of the same version with other bytes, one that tells no version, and a pre-release it cannot compare', async () => {
    for (const answer of [VERSION, undefined, '99.0.0-beta.1']) {
      const { desk: windows, disk } = desk(answer === undefined ? {} : { answer })
      const program = await installBeforeStart(windows, DOWNLOADED, PROFILE)
      assert.deepEqual(program, { executable: INSTALLED, installed: INSTALLED, install: 'done', changed: true, ...answer !== undefined ? { replaced: answer } : {} }, String(answer))
      assert.deepEqual(disk.contents.get(INSTALLED), consoleImage())
    }
    const sameVersion = installWords({ executable: INSTALLED, installed: INSTALLED, install: 'done', changed: true, replaced: VERSION }, DOWNLOADED)
    assert.equal(sameVersion.lines[0], `causette ${VERSION} is installed in C:\\Users\\Ana\\AppData\\Local\\Programs\\causette.`, 'no "in place of" its own version')
  })

  it('starts the installed copy itself as it is, whatever the case of its path, reading nothing', async () => {
    const touched = async (path: string): Promise<never> => { throw new Error(`touched ${path}`) }
    const nothing: DeskFiles = { read: touched, writeIfDifferent: touched, remove: touched, rename: touched, removeEmptyFolder: touched, size: touched }
    const itself = 'c:\\users\\ana\\appdata\\local\\programs\\causette\\CAUSETTE.EXE'
    assert.deepEqual(await installBeforeStart({ ...desk({}).desk, files: nothing }, itself, PROFILE), { executable: itself, install: 'none' })
    assert.deepEqual(installWords({ executable: itself, install: 'none' }, itself), { lines: [], keepWindowOpen: false })
    for (const platform of ['linux', 'darwin'] as const) {
      assert.deepEqual(await installBeforeStart({ platform, deskEnv: { home: '/home/ana', env: {} }, program: '/tmp/causette', files: nothing }, '/tmp/causette', '/home/ana/.causette'), { executable: '/tmp/causette', install: 'none' })
    }
  })

  it('falls back to the downloaded file when the launcher cannot be written or the installed copy cannot be read', async () => {
    const busy = desk({ answer: '0.0.0' })
    busy.disk.refused.set(windowsLauncherPath(WINDOWS), 'EBUSY')
    const program = await installBeforeStart(busy.desk, DOWNLOADED, PROFILE)
    assert.equal(program.executable, DOWNLOADED)
    assert.equal(program.install, 'failed')
    assert.match((program as { reason: string }).reason, /^EBUSY/)

    const unreadable = desk({})
    unreadable.desk.files = { ...unreadable.disk.files, read: async path => await Promise.reject(Object.assign(new Error(`EACCES: ${path}`), { code: 'EACCES' })) }
    assert.deepEqual(await installBeforeStart(unreadable.desk, DOWNLOADED, PROFILE), { executable: DOWNLOADED, installed: INSTALLED, install: 'failed', reason: `EACCES: ${INSTALLED}` })
  })

  it('starts the installed program when only its Start menu shortcut failed, and says to open it with the downloaded file meanwhile', async () => {
    const { desk: windows } = desk({ answer: '0.0.0', shortcutRefusal: 'PowerShell is blocked by a policy' })
    const program = await installBeforeStart(windows, DOWNLOADED, PROFILE)
    assert.deepEqual(program, { executable: INSTALLED, installed: INSTALLED, install: 'done', changed: true, replaced: '0.0.0', menuFailure: 'the Start menu shortcut could not be written: PowerShell is blocked by a policy' })
    const words = installWords(program, DOWNLOADED)
    assert.deepEqual(words.lines, [
      `causette ${VERSION} is installed in C:\\Users\\Ana\\AppData\\Local\\Programs\\causette, in place of version 0.0.0.`,
      'Its Start menu entry is missing: the Start menu shortcut could not be written: PowerShell is blocked by a policy',
      `Until then, open causette with the downloaded file ${DOWNLOADED}: it starts the installed program. Turning on Start at login in the app tries the shortcut again.`
    ])
    assert.equal(words.keepWindowOpen, true)
  })

  it('starts the installed program when its entry in Settings > Apps could not be written, and says how to remove it meanwhile', async () => {
    const { desk: windows } = desk({ answer: VERSION, regRefusal: 'ERROR: Access is denied.\r\n' })
    const program = await installBeforeStart(windows, DOWNLOADED, PROFILE)
    const expected = { executable: INSTALLED, installed: INSTALLED, install: 'done', changed: true, replaced: VERSION, appsEntryFailure: 'reg add failed: ERROR: Access is denied.' } as const
    assert.deepEqual(program, expected)
    const words = installWords(program, DOWNLOADED)
    assert.deepEqual(words.lines.slice(1), [
      `From now on, open causette from the Start menu. You can delete the downloaded file ${DOWNLOADED}.`,
      `It could not add itself to Settings > Apps (reg add failed: ERROR: Access is denied.), and tries again each time it starts. Until then, to remove causette, run "${INSTALLED}" uninstall in a terminal.`
    ])
    assert.equal(installWords({ ...expected, changed: false }, DOWNLOADED).keepWindowOpen, true, 'kept open to be read, even with nothing copied')
  })
})
