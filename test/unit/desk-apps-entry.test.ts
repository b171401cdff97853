// causette's entry in Settings > Apps (Windows), on a Windows desk in memory (test/helpers/fake-windows.ts):
// the exact reg.exe command lines that install's program part runs to write the user's uninstall key,
// only the values that differ the next time, and the key's values as `reg query` lists them.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { install, installProgram } from '../../core/desk/install.js'
import type { DeskEnv } from '../../core/desk/locations.js'
import { differingValues, parseRegValues, uninstallCommandLine } from '../../core/desk/windows-uninstall-key.js'
import { VERSION } from '../../core/runtime/build-info.js'
import { consoleImage, fakeRegistry, fakeWindowsDisk } from '../helpers/fake-windows.js'

const ICON = await readFile(fileURLToPath(new URL('../../ui/public/icons/icon-192.png', import.meta.url)))
/** A user whose name has a space, as many do. */
const WINDOWS: DeskEnv = { home: 'C:\\Users\\Ana Maria', env: { LOCALAPPDATA: 'C:\\Users\\Ana Maria\\AppData\\Local', APPDATA: 'C:\\Users\\Ana Maria\\AppData\\Roaming' } }
const PROFILE = 'C:\\Users\\Ana Maria\\.causette'
const DOWNLOADED = 'C:\\Users\\Ana Maria\\Downloads\\causette-win-x64.exe'
const KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\causette'
const FOLDER = 'C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette'
/** The .ico beside the program: the PNG after a 6-byte header and one 16-byte entry. */
const ICO_BYTES = ICON.byteLength + 22

/** A release executable of `bytes` bytes (a console program's headers first). */
function program (bytes: number): Uint8Array {
  const image = new Uint8Array(bytes)
  image.set(consoleImage())
  return image
}

function add (name: string, type: 'REG_SZ' | 'REG_DWORD', data: string): string[] {
  return ['reg.exe', 'add', KEY, '/v', name, '/t', type, '/d', data, '/f']
}

function windowsDesk (): { registry: ReturnType<typeof fakeRegistry>, disk: ReturnType<typeof fakeWindowsDisk>, regCalls: () => string[][] } {
  const registry = fakeRegistry()
  const disk = fakeWindowsDisk()
  disk.contents.set(DOWNLOADED, program(1_048_576))
  const regCalls = (): string[][] => registry.calls.splice(0).filter(([file]) => file === 'reg.exe')
  return { registry, disk, regCalls }
}

describe("the entry in Settings > Apps (the user's uninstall key)", () => {
  it('is written by the program part of install, value by value with reg.exe, the uninstall command quoted', async () => {
    const { registry, disk, regCalls } = windowsDesk()
    const options = { platform: 'win32' as const, deskEnv: WINDOWS, profile: PROFILE, source: DOWNLOADED, run: registry.run, icon: ICON, files: disk.files }
    const steps = await installProgram(options)
    assert.deepEqual(steps.at(-1), { changed: true, what: `its entry in Settings > Apps (${KEY})` })
    assert.deepEqual(regCalls(), [
      ['reg.exe', 'query', KEY],
      add('DisplayName', 'REG_SZ', 'causette'),
      add('DisplayVersion', 'REG_SZ', VERSION),
      add('Publisher', 'REG_SZ', 'causette contributors'),
      add('DisplayIcon', 'REG_SZ', `${FOLDER}\\causette.ico`),
      add('InstallLocation', 'REG_SZ', FOLDER),
      add('UninstallString', 'REG_SZ', `"${FOLDER}\\causette.exe" uninstall --pause --home "C:\\Users\\Ana Maria\\.causette"`),
      add('NoModify', 'REG_DWORD', '1'),
      add('NoRepair', 'REG_DWORD', '1'),
      // The program and its launcher, 1 MiB each, and the icon, in KiB rounded up.
      add('EstimatedSize', 'REG_DWORD', String(Math.ceil((2 * 1_048_576 + ICO_BYTES) / 1024)))
    ])
    assert.equal(disk.contents.get(`${FOLDER}\\causette.ico`)?.byteLength, ICO_BYTES, 'the icon the entry shows is there')

    const again = await installProgram(options)
    assert.deepEqual(again.at(-1), { changed: false, what: `its entry in Settings > Apps (${KEY})` })
    assert.deepEqual(regCalls(), [['reg.exe', 'query', KEY]], 'a second install reads the key and writes nothing')
  })

  it('rewrites only what changed: a new version of another size, then another profile', async () => {
    const { registry, disk, regCalls } = windowsDesk()
    const options = { platform: 'win32' as const, deskEnv: WINDOWS, profile: PROFILE, source: DOWNLOADED, run: registry.run, icon: ICON, files: disk.files }
    await installProgram(options)
    registry.appsEntry.set('DisplayVersion', { name: 'DisplayVersion', type: 'REG_SZ', data: '0.0.1' })
    disk.contents.set(DOWNLOADED, program(2_097_152))
    regCalls()

    await installProgram(options)
    assert.deepEqual(regCalls(), [
      ['reg.exe', 'query', KEY],
      add('DisplayVersion', 'REG_SZ', VERSION),
      add('EstimatedSize', 'REG_DWORD', String(Math.ceil((2 * 2_097_152 + ICO_BYTES) / 1024)))
    ])
    await install({ ...options, profile: 'D:\\profiles\\ana', nodeRunning: true })
    assert.deepEqual(regCalls().filter(([, verb, key]) => verb === 'add' && key === KEY), [
      add('UninstallString', 'REG_SZ', `"${FOLDER}\\causette.exe" uninstall --pause --home D:\\profiles\\ana`)
    ], 'the Start menu and uninstall name the same profile: the last one installed')
  })

  it('names the program\'s own icon when no .ico was written, and counts no icon in the size', async () => {
    const { registry, disk, regCalls } = windowsDesk()
    await installProgram({ platform: 'win32', deskEnv: WINDOWS, profile: PROFILE, source: DOWNLOADED, run: registry.run, icon: undefined, files: disk.files })
    assert.deepEqual(regCalls().find(call => call[4] === 'DisplayIcon'), add('DisplayIcon', 'REG_SZ', `${FOLDER}\\causette.exe,0`))
    assert.deepEqual(registry.appsEntry.get('EstimatedSize')?.data, String(Math.ceil(2 * 1_048_576 / 1024)))
  })

  it('reads `reg query` as reg.exe prints it, a DWORD in hexadecimal', () => {
    const output = [
      '',
      `HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\causette`,
      '    DisplayName    REG_SZ    causette',
      `    UninstallString    REG_SZ    "${FOLDER}\\causette.exe" uninstall --pause --home "C:\\Users\\Ana Maria\\.causette"`,
      '    EstimatedSize    REG_DWORD    0x3c001',
      '    NoModify    REG_DWORD    0x1',
      ''
    ].join('\r\n')
    const values = parseRegValues(output)
    assert.deepEqual([...values.keys()], ['DisplayName', 'UninstallString', 'EstimatedSize', 'NoModify'])
    assert.equal(values.get('UninstallString')?.data, uninstallCommandLine(`${FOLDER}\\causette.exe`, PROFILE))
    assert.deepEqual(differingValues([
      { name: 'EstimatedSize', type: 'REG_DWORD', data: String(0x3c001) },
      { name: 'NoModify', type: 'REG_DWORD', data: '1' },
      { name: 'DisplayName', type: 'REG_SZ', data: 'causette' }
    ], values), [], 'the same values, whatever base reg.exe lists them in')
    assert.deepEqual(differingValues([{ name: 'NoRepair', type: 'REG_DWORD', data: '1' }, { name: 'DisplayName', type: 'REG_DWORD', data: '1' }], values).map(value => value.name), ['NoRepair', 'DisplayName'], 'a missing value, one of another type')
    assert.throws(() => uninstallCommandLine(`${FOLDER}\\causette.exe`, 'C:\\a"b'), /double quote/)
  })
})
