// A Windows desk installed before the launcher watched the node (core/desk/refresh-desk.ts): after an
// update swapped causette.exe alone, the node brings the launcher and the Run key up to date, the
// launcher first; it leaves alone a desk whose autostart is off, a Run key that starts another
// profile or a program run from elsewhere, and tries again while an older launcher still runs. The
// entry in Settings > Apps follows the version, autostart on or off. On Linux, with the registry and
// files in memory.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { autostartCommand } from '../../core/desk/install.js'
import { installedExecutablePath, RUN_KEY, UNINSTALL_KEY, windowsLauncherPath } from '../../core/desk/locations.js'
import type { DeskFiles } from '../../core/desk/files.js'
import { launcherAsidePath, launcherVersionPath } from '../../core/desk/launcher-file.js'
import { refreshAppsEntry, refreshLauncher, refreshWindowsDesk } from '../../core/desk/refresh-desk.js'
import { asWindowedProgram } from '../../core/desk/windows-launcher.js'
import { runKeyValue } from '../../core/desk/windows-run-key.js'
import { keepDeskCurrent } from '../../core/cli/keep-desk-current.js'
import { consoleImage, fakeRegistry, fakeWindowsDisk } from '../helpers/fake-windows.js'

const DESK = { home: 'C:\\Users\\Ana', env: { LOCALAPPDATA: 'C:\\Users\\Ana\\AppData\\Local' } }
const PROFILE = 'C:\\Users\\Ana\\.causette'
const PROGRAM = installedExecutablePath('win32', DESK)
const LAUNCHER = windowsLauncherPath(DESK)
const ASIDE = launcherAsidePath(DESK)
const LAUNCHER_VERSION = launcherVersionPath(DESK)
/** The Run key's command line before the launcher watched the node. */
const OLDER_KEY = runKeyValue({ executable: LAUNCHER, args: ['background', '--home', PROFILE] })

/** The installed program (a newer version) and an older launcher, in memory; `busy` launchers refuse to be replaced, as Windows does for a running program. */
function desk (events: string[]): { files: DeskFiles, contents: Map<string, Uint8Array>, busy: { add: (path: string) => void, delete: (path: string) => void }, running: Set<string>, refused: Map<string, string> } {
  const newer = consoleImage()
  newer[300] = 2 // the updated program's bytes differ from the launcher's
  const { files, contents, refused, running } = fakeWindowsDisk(events)
  contents.set(PROGRAM, newer)
  contents.set(LAUNCHER, asWindowedProgram(consoleImage()))
  const busy = { add: (path: string) => { refused.set(path, 'EBUSY') }, delete: (path: string) => { refused.delete(path) } }
  return { files, contents, busy, running, refused }
}

function registryWith (value: string | undefined, events: string[]): ReturnType<typeof fakeRegistry> {
  const registry = fakeRegistry()
  if (value !== undefined) registry.values.set('causette', value)
  const run = registry.run
  registry.run = async (file, args) => {
    if (args[0] === 'add' && args[1] === RUN_KEY) events.push('wrote the Run key')
    if (args[0] === 'add' && args[1] === UNINSTALL_KEY) events.push(`wrote ${args[3]} in the uninstall key`)
    return await run(file, args)
  }
  return registry
}

describe('refreshWindowsDesk', () => {
  it('brings an older launcher and Run key up to date, the launcher first; then changes nothing', async () => {
    const events: string[] = []
    const { files, contents } = desk(events)
    const registry = registryWith(OLDER_KEY, events)
    const first = await refreshWindowsDesk({ deskEnv: DESK, profile: PROFILE, executable: PROGRAM, run: registry.run, files })
    assert.ok('steps' in first)
    assert.deepEqual(first.steps.map(step => step.changed), [true, true])
    assert.deepEqual(events, [`wrote ${LAUNCHER}`, 'wrote the Run key'])
    assert.deepEqual(contents.get(LAUNCHER), asWindowedProgram(contents.get(PROGRAM)!))
    assert.equal(registry.values.get('causette'), runKeyValue(autostartCommand('win32', DESK, PROFILE)))
    assert.match(registry.values.get('causette')!, / background --watch --home /)

    const second = await refreshWindowsDesk({ deskEnv: DESK, profile: PROFILE, executable: PROGRAM, run: registry.run, files })
    assert.deepEqual(second, { skipped: 'current' })
    assert.equal(events.length, 2, 'nothing written the second time')
  })

  it('waits while the launcher runs: the Run key is left as it was', async () => {
    const events: string[] = []
    const { files, busy } = desk(events)
    busy.add(LAUNCHER)
    const registry = registryWith(OLDER_KEY, events)
    assert.deepEqual(await refreshWindowsDesk({ deskEnv: DESK, profile: PROFILE, executable: PROGRAM, run: registry.run, files }), { skipped: 'launcher-running' })
    assert.equal(registry.values.get('causette'), OLDER_KEY)
    assert.deepEqual(events, [])
  })

  it('leaves the Run key alone when it starts another profile, and a current one without reading either program', async () => {
    const events: string[] = []
    const { files, busy } = desk(events)
    const other = registryWith(runKeyValue({ executable: LAUNCHER, args: ['background', '--home', 'C:\\Users\\Ana\\other-profile'] }), events)
    assert.deepEqual(await refreshWindowsDesk({ deskEnv: DESK, profile: PROFILE, executable: PROGRAM, run: other.run, files }), { skipped: 'not-ours' })
    busy.add(LAUNCHER)
    let reads = 0
    const read = files.read
    files.read = async path => { reads++; return await read(path) }
    const watching = registryWith(runKeyValue(autostartCommand('win32', DESK, PROFILE)), events)
    assert.deepEqual(await refreshWindowsDesk({ deskEnv: DESK, profile: PROFILE, executable: PROGRAM, run: watching.run, files }), { skipped: 'current' }, 'nothing to retry: the key is current')
    assert.equal(reads, 0, 'a node start on a current desk reads no program')
    assert.deepEqual(events, [])
  })

  it('leaves a desk alone whose autostart is off, and a program run from elsewhere', async () => {
    const events: string[] = []
    const { files } = desk(events)
    const off = registryWith(undefined, events)
    assert.deepEqual(await refreshWindowsDesk({ deskEnv: DESK, profile: PROFILE, executable: PROGRAM, run: off.run, files }), { skipped: 'autostart-off' })
    const on = registryWith(OLDER_KEY, events)
    assert.deepEqual(await refreshWindowsDesk({ deskEnv: DESK, profile: PROFILE, executable: 'C:\\Users\\Ana\\Downloads\\causette.exe', run: on.run, files }), { skipped: 'not-installed' })
    assert.deepEqual(events, [])
    assert.equal(off.values.size, 0)
  })
})

describe('refreshLauncher', () => {
  it('writes no launcher where there is none (uninstalled) nor for a program run from elsewhere', async () => {
    const events: string[] = []
    const { files, contents } = desk(events)
    const options = { deskEnv: DESK, profile: PROFILE, files, version: '0.2.0' }
    assert.deepEqual(await refreshLauncher({ ...options, executable: 'C:\\Users\\Ana\\Downloads\\causette.exe' }), { skipped: 'not-installed' })
    contents.delete(LAUNCHER)
    assert.deepEqual(await refreshLauncher({ ...options, executable: PROGRAM }), { skipped: 'no-launcher' })
    assert.deepEqual(events, [])
  })
})

describe('keepDeskCurrent', () => {
  it('moves an older launcher that runs aside, writes the new one and its version, then the Run key; a start on the current desk reads no program', async () => {
    const events: string[] = []
    const { files, contents, running } = desk(events)
    running.add(LAUNCHER) // the watcher of this session: Windows renames it, never replaces it
    const registry = registryWith(OLDER_KEY, events)
    registry.appsEntry.set('DisplayVersion', { name: 'DisplayVersion', type: 'REG_SZ', data: '0.0.1' })
    const lines: string[] = []
    const options = { deskEnv: DESK, executable: PROGRAM, run: registry.run, files, version: '0.2.0' }
    await keepDeskCurrent({ profile: PROFILE, log: line => { lines.push(line) }, retryMs: 1, desk: options })
    // The entry first: its nine values, as only its version was there.
    assert.ok(events.slice(0, 9).every(event => event.endsWith('in the uninstall key')), events.join('\n'))
    assert.deepEqual(events.slice(9), [`moved ${LAUNCHER} to ${ASIDE}`, `wrote ${LAUNCHER}`, `wrote ${LAUNCHER_VERSION}`, 'wrote the Run key'])
    assert.deepEqual(contents.get(LAUNCHER), asWindowedProgram(contents.get(PROGRAM)!))
    assert.equal(Buffer.from(contents.get(LAUNCHER_VERSION)!).toString(), '0.2.0')
    assert.ok(running.has(ASIDE), 'the older launcher runs on from where it was moved')
    assert.deepEqual(lines, [
      `desk: updated    its entry in Settings > Apps (${UNINSTALL_KEY})`,
      `desk: updated    its windowless launcher at ${LAUNCHER}`,
      `desk: updated    start at login (HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\causette)`
    ])

    events.length = 0
    let programReads = 0
    const read = files.read
    files.read = async path => { if (path === PROGRAM || path === LAUNCHER) programReads++; return await read(path) }
    await keepDeskCurrent({ profile: PROFILE, log: line => { lines.push(line) }, retryMs: 1, desk: options })
    assert.deepEqual(events, [], 'nothing written at the next start, the older launcher still running')
    assert.equal(programReads, 0)
    running.delete(ASIDE) // the session ended
    await keepDeskCurrent({ profile: PROFILE, log: line => { lines.push(line) }, retryMs: 1, desk: options })
    assert.deepEqual(events, [`removed ${ASIDE}`])
    assert.equal(programReads, 0)
  })

  it('tries again while the launcher can be neither replaced nor moved aside (a launcher of an earlier update still runs there), then says what it updated', async () => {
    const events: string[] = []
    const { files, contents, running, refused } = desk(events)
    contents.set(ASIDE, asWindowedProgram(consoleImage()))
    running.add(ASIDE)
    refused.set(ASIDE, 'EPERM') // Windows replaces no program that runs
    running.add(LAUNCHER)
    const registry = registryWith(OLDER_KEY, events)
    registry.appsEntry.set('DisplayVersion', { name: 'DisplayVersion', type: 'REG_SZ', data: '0.2.0' })
    const lines: string[] = []
    let tries = 0
    const read = files.read
    files.read = async path => {
      if (path === PROGRAM && ++tries === 3) running.delete(LAUNCHER) // an older launcher exits once the node answers
      return await read(path)
    }
    await keepDeskCurrent({ profile: PROFILE, log: line => { lines.push(line) }, retryMs: 1, desk: { deskEnv: DESK, executable: PROGRAM, run: registry.run, files, version: '0.2.0' } })
    assert.equal(tries, 3)
    assert.deepEqual(events, [`wrote ${LAUNCHER}`, 'wrote the Run key'])
    assert.match(lines[0] ?? '', /^desk: could not bring the launcher up to date \(at the next start, then\): EPERM/)
    assert.deepEqual(lines.slice(1), [
      `desk: updated    its windowless launcher at ${LAUNCHER}`,
      `desk: updated    start at login (HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\causette)`
    ])
  })
})

describe('refreshAppsEntry', () => {
  it('writes the new version into the entry after an update, and what else differs; then reads it once per start', async () => {
    const events: string[] = []
    const { files } = desk(events)
    const registry = registryWith(undefined, events)
    const older = { deskEnv: DESK, profile: PROFILE, executable: PROGRAM, run: registry.run, files, version: '0.1.0' }
    await refreshAppsEntry(older)
    assert.equal(registry.appsEntry.get('DisplayVersion')?.data, '0.1.0')
    events.length = 0
    registry.calls.length = 0

    const updated = await refreshAppsEntry({ ...older, version: '0.2.0' })
    assert.deepEqual(updated, { steps: [{ changed: true, what: `its entry in Settings > Apps (${UNINSTALL_KEY})` }] })
    assert.deepEqual(events, ['wrote DisplayVersion in the uninstall key'], 'the rest is as it was (the launcher\'s older copy has the same size)')
    assert.deepEqual(registry.calls.at(-1), ['reg.exe', 'add', UNINSTALL_KEY, '/v', 'DisplayVersion', '/t', 'REG_SZ', '/d', '0.2.0', '/f'])
    assert.equal(registry.values.size, 0, 'autostart stays off: the entry is the program\'s, not the autostart\'s')

    registry.calls.length = 0
    assert.deepEqual(await refreshAppsEntry({ ...older, version: '0.2.0' }), { skipped: 'current' })
    assert.deepEqual(registry.calls, [['reg.exe', 'query', UNINSTALL_KEY]], 'a start on a current desk: one reg query')
  })

  it('writes a whole entry on a desk installed before there was one, and none for a program run from elsewhere', async () => {
    const events: string[] = []
    const { files } = desk(events)
    const registry = registryWith(undefined, events)
    const options = { deskEnv: DESK, profile: PROFILE, run: registry.run, files }
    assert.deepEqual(await refreshAppsEntry({ ...options, executable: 'C:\\Users\\Ana\\Downloads\\causette.exe' }), { skipped: 'not-installed' })
    assert.equal(registry.calls.length, 0)
    const result = await refreshAppsEntry({ ...options, executable: PROGRAM })
    assert.ok('steps' in result && result.steps[0]!.changed)
    assert.equal(registry.appsEntry.get('UninstallString')?.data, `"${PROGRAM}" uninstall --pause --home C:\\Users\\Ana\\.causette`)
    assert.equal(registry.appsEntry.size, 9)
  })
})
