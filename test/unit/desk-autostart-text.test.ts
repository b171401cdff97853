// The desk's generated files and command lines, for all three platforms, checked as text on Linux:
// where each file goes, the systemd unit, the LaunchAgent plist, the Run key's reg.exe lines, the
// windowless launcher's PE header, the menu entries (the desktop entry, the Start menu shortcut's
// PowerShell line and its .ico, the macOS app bundle's Info.plist, script and .icns) and the browser
// opener. The plists are read back by a real plist parser.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse as parsePlist } from 'plist'
import { appInfoPlist, appLauncherScript } from '../../core/desk/app-bundle.js'
import { autostartWords, menuWords } from '../../core/api/autostart-words.js'
import { launchAgentPlist } from '../../core/desk/launch-agent.js'
import { desktopEntry, execWord } from '../../core/desk/desktop-entry.js'
import { appBundlePath, desktopEntryPath, desktopIconPath, installedExecutablePath, launchAgentPath, startMenuShortcutPath, systemdUnitPath, systemdWantsLinkPath, windowsIconPath, windowsLauncherPath } from '../../core/desk/locations.js'
import { windowsMenuEntry } from '../../core/desk/menu-entry-windows.js'
import { literal, powershellArgs } from '../../core/desk/powershell.js'
import { shortcutScript } from '../../core/desk/start-menu-shortcut.js'
import { icoFromPng } from '../../core/desk/windows-icon.js'
import { icnsFromPng } from '../../core/desk/mac-icon.js'
import { browserCommand } from '../../core/desk/open-browser.js'
import { systemdUnit, systemdWord } from '../../core/desk/systemd-unit.js'
import { asWindowedProgram, peSubsystem, SUBSYSTEM_WINDOWS_CUI, SUBSYSTEM_WINDOWS_GUI } from '../../core/desk/windows-launcher.js'
import { parseRegQuery, regAddArgs, regDeleteArgs, regQueryArgs, runKeyValue } from '../../core/desk/windows-run-key.js'
import { autostartCommand, menuCommand } from '../../core/desk/install.js'
import { windowsAutostart } from '../../core/desk/autostart-windows.js'
import { consoleImage, fakeRegistry } from '../helpers/fake-windows.js'

const LINUX = { home: '/home/ana', env: {} }
const MAC = { home: '/Users/ana', env: {} }
const WINDOWS = { home: 'C:\\Users\\Ana Maria', env: { LOCALAPPDATA: 'C:\\Users\\Ana Maria\\AppData\\Local' } }

describe('desk locations', () => {
  it('puts the program and the autostart entry in per-user places', () => {
    assert.equal(installedExecutablePath('linux', LINUX), '/home/ana/.local/bin/causette')
    assert.equal(installedExecutablePath('linux', { home: '/home/ana', env: { XDG_BIN_HOME: '/opt/ana/bin' } }), '/opt/ana/bin/causette')
    assert.equal(systemdUnitPath(LINUX), '/home/ana/.config/systemd/user/causette.service')
    assert.equal(systemdUnitPath({ home: '/home/ana', env: { XDG_CONFIG_HOME: '/home/ana/cfg' } }), '/home/ana/cfg/systemd/user/causette.service')
    assert.equal(systemdUnitPath({ home: '/home/ana', env: { XDG_CONFIG_HOME: '' } }), '/home/ana/.config/systemd/user/causette.service', 'an empty XDG variable is unset')
    assert.equal(systemdWantsLinkPath(LINUX), '/home/ana/.config/systemd/user/default.target.wants/causette.service')
    assert.equal(installedExecutablePath('darwin', MAC), '/Users/ana/Library/Application Support/causette/causette')
    assert.equal(launchAgentPath(MAC), '/Users/ana/Library/LaunchAgents/org.causette.node.plist')
    assert.equal(installedExecutablePath('win32', WINDOWS), 'C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette\\causette.exe')
    assert.equal(windowsLauncherPath(WINDOWS), 'C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette\\causette-launcher.exe')
    assert.equal(installedExecutablePath('win32', { home: 'C:\\Users\\bo', env: {} }), 'C:\\Users\\bo\\AppData\\Local\\Programs\\causette\\causette.exe')
  })

  it('puts the menu entry where the user\'s own menu is read: the applications folder, the Start menu, ~/Applications', () => {
    assert.equal(desktopEntryPath(LINUX), '/home/ana/.local/share/applications/causette.desktop')
    assert.equal(desktopEntryPath({ home: '/home/ana', env: { XDG_DATA_HOME: '/home/ana/data' } }), '/home/ana/data/applications/causette.desktop')
    assert.equal(desktopEntryPath({ home: '/home/ana', env: { XDG_DATA_HOME: '' } }), '/home/ana/.local/share/applications/causette.desktop')
    assert.equal(desktopIconPath(LINUX), '/home/ana/.local/share/icons/hicolor/192x192/apps/causette.png')
    assert.equal(startMenuShortcutPath({ ...WINDOWS, env: { APPDATA: 'C:\\Users\\Ana Maria\\AppData\\Roaming' } }), 'C:\\Users\\Ana Maria\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\causette.lnk')
    assert.equal(startMenuShortcutPath({ home: 'C:\\Users\\bo', env: {} }), 'C:\\Users\\bo\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\causette.lnk')
    assert.equal(windowsIconPath(WINDOWS), 'C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette\\causette.ico')
    assert.equal(appBundlePath(MAC), '/Users/ana/Applications/causette.app')
  })

  it('opens the app from the menu as a double-click does, on the profile that starts at login; through the windowless launcher on Windows', () => {
    assert.deepEqual(menuCommand('linux', LINUX, '/home/ana/.causette'), { executable: '/home/ana/.local/bin/causette', args: ['--home', '/home/ana/.causette'] })
    assert.deepEqual(menuCommand('darwin', MAC, '/Users/ana/.causette'), { executable: '/Users/ana/Library/Application Support/causette/causette', args: ['--home', '/Users/ana/.causette'] })
    assert.deepEqual(menuCommand('win32', WINDOWS, 'C:\\Users\\Ana Maria\\.causette'), {
      executable: 'C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette\\causette-launcher.exe',
      args: ['--home', 'C:\\Users\\Ana Maria\\.causette']
    })
  })

  it('starts the node at login on Linux and macOS, the windowless launcher on Windows (which watches it: nothing else restarts it there)', () => {
    assert.deepEqual(autostartCommand('linux', LINUX, '/home/ana/.causette'), { executable: '/home/ana/.local/bin/causette', args: ['start', '--home', '/home/ana/.causette'] })
    assert.deepEqual(autostartCommand('win32', WINDOWS, 'C:\\Users\\Ana Maria\\.causette'), {
      executable: 'C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette\\causette-launcher.exe',
      args: ['background', '--watch', '--home', 'C:\\Users\\Ana Maria\\.causette']
    })
  })
})

describe('systemd user unit', () => {
  it('runs the installed program, restarts it on failure and is wanted at login', () => {
    assert.equal(systemdUnit({ executable: '/home/ana/.local/bin/causette', args: ['start', '--home', '/home/ana/.causette'] }), [
      '# Written by `causette install`; `causette uninstall` removes it.',
      '[Unit]',
      'Description=causette: this desk\'s messenger node',
      'StartLimitIntervalSec=300',
      'StartLimitBurst=5',
      '',
      '[Service]',
      'Type=simple',
      'ExecStart="/home/ana/.local/bin/causette" "start" "--home" "/home/ana/.causette"',
      'Restart=on-failure',
      'RestartSec=5',
      'Environment=CAUSETTE_SUPERVISOR=systemd',
      '',
      '[Install]',
      'WantedBy=default.target',
      ''
    ].join('\n'))
  })

  it('keeps a path with spaces, quotes, percent and dollar signs one literal word', () => {
    assert.equal(systemdWord('/home/ana/my "50%" $HOME\\x'), '"/home/ana/my \\"50%%\\" $$HOME\\\\x"')
    assert.throws(() => systemdWord('/home/ana/a\nb'), /line break/)
  })
})

describe('desktop entry (Linux applications menu)', () => {
  it('runs the installed program with no command, with the app\'s icon, outside a terminal', () => {
    const command = menuCommand('linux', LINUX, '/home/ana/.causette')
    assert.equal(desktopEntry({ command, icon: '/home/ana/.local/share/icons/hicolor/192x192/apps/causette.png' }), [
      '# Written by `causette install`; `causette uninstall` removes it.',
      '[Desktop Entry]',
      'Type=Application',
      'Version=1.4',
      'Name=causette',
      'GenericName=Office messenger',
      'Comment=Messages with your colleagues, from this computer to theirs, end-to-end encrypted',
      'Exec="/home/ana/.local/bin/causette" "--home" "/home/ana/.causette"',
      'Icon=/home/ana/.local/share/icons/hicolor/192x192/apps/causette.png',
      'Terminal=false',
      'Categories=Network;InstantMessaging;',
      'Keywords=chat;messenger;office;LAN;',
      ''
    ].join('\n'))
    assert.doesNotMatch(desktopEntry({ command, icon: undefined }), /^Icon=/m, 'no icon from a source checkout')
  })

  it('keeps a path with spaces, quotes, backslashes, dollar and percent signs one literal argument', () => {
    // Quoting escapes " ` $ \ with a backslash; the string escape then doubles every backslash; % is a field code.
    assert.equal(execWord('/home/ana/my "50%" $HOME\\x`'), '"/home/ana/my \\\\"50%%\\\\" \\\\$HOME\\\\\\\\x\\\\`"')
    assert.throws(() => execWord('/home/ana/a\nb'), /line break/)
  })
})

describe('Start menu shortcut (Windows)', () => {
  const shortcut = 'C:\\Users\\Ana Maria\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\causette.lnk'
  const command = menuCommand('win32', WINDOWS, 'C:\\Users\\Ana Maria\\.causette')
  const icon = windowsIconPath(WINDOWS)

  it('is written by PowerShell through WScript.Shell, values as literals, only when it differs', () => {
    const script = shortcutScript({ shortcut, command, icon })
    const launcher = "'C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette\\causette-launcher.exe'"
    assert.equal(script, [
      "$ErrorActionPreference = 'Stop'",
      `$link = (New-Object -ComObject WScript.Shell).CreateShortcut('${shortcut}')`,
      `if ($link.TargetPath -eq ${launcher} -and $link.Arguments -eq '--home "C:\\Users\\Ana Maria\\.causette"' -and $link.WorkingDirectory -eq 'C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette' -and $link.IconLocation -eq '${icon},0' -and $link.Description -eq 'causette: messages with your colleagues') { 'unchanged'; exit 0 }`,
      `$link.TargetPath = ${launcher}`,
      '$link.Arguments = \'--home "C:\\Users\\Ana Maria\\.causette"\'',
      "$link.WorkingDirectory = 'C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette'",
      `$link.IconLocation = '${icon},0'`,
      "$link.Description = 'causette: messages with your colleagues'",
      '$link.Save()',
      "'changed'"
    ].join('; '))
    assert.match(shortcutScript({ shortcut, command, icon: undefined }), /\$link\.IconLocation = 'C:[^']*causette-launcher\.exe,0'/, 'the program\'s own icon without one')
    const args = powershellArgs(script)
    assert.deepEqual(args.slice(0, -1), ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand'])
    assert.equal(Buffer.from(args.at(-1)!, 'base64').toString('utf16le'), script, 'the script as PowerShell decodes it')
    assert.match(args.at(-1)!, /^[A-Za-z0-9+/]+=*$/, 'nothing for the command line to quote')
  })

  it('reads no quote in a path as the end of a literal, curly ones included', () => {
    assert.equal(literal("C:\\Users\\O'Brien\\x"), "'C:\\Users\\O''Brien\\x'")
    assert.equal(literal('C:\\Users\\O\u2019Brien'), "'C:\\Users\\O\u2019\u2019Brien'")
    assert.equal(literal('$(Remove-Item C:\\)'), "'$(Remove-Item C:\\)'", 'no expansion in single quotes')
    assert.throws(() => literal('a\nb'), /line break/)
  })

  it('says whether PowerShell changed it, and why it could not be written', async () => {
    const calls: string[][] = []
    let answer = { code: 0, stdout: 'changed\r\n', stderr: '' }
    const menu = windowsMenuEntry({ ...WINDOWS, env: { ...WINDOWS.env, APPDATA: 'C:\\Users\\Ana Maria\\AppData\\Roaming' } }, async (file, args) => {
      calls.push([file, ...args])
      return answer
    })
    assert.deepEqual(await menu.add(command, undefined), [{ changed: true, what: `the Start menu shortcut ${shortcut}` }])
    assert.deepEqual(calls, [['powershell.exe', ...powershellArgs(shortcutScript({ shortcut, command, icon: undefined }))]])
    answer = { code: 0, stdout: 'unchanged\r\n', stderr: '' }
    assert.deepEqual((await menu.add(command, undefined)).map(step => step.changed), [false])
    answer = { code: 1, stdout: '', stderr: 'New-Object : Retrieving the COM class factory failed\r\n' }
    await assert.rejects(menu.add(command, undefined), { message: 'the Start menu shortcut could not be written: New-Object : Retrieving the COM class factory failed' })
  })

  it('shows the app\'s PNG icon inside an .ico (a shortcut cannot show a PNG)', () => {
    const png = new Uint8Array(40)
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 192, 0, 0, 0, 192])
    const ico = icoFromPng(png)
    assert.deepEqual([...ico.subarray(0, 22)], [0, 0, 1, 0, 1, 0, 192, 192, 0, 0, 1, 0, 32, 0, 40, 0, 0, 0, 22, 0, 0, 0])
    assert.deepEqual(ico.subarray(22), png)
    assert.throws(() => icoFromPng(new TextEncoder().encode('<svg></svg> and more bytes')), /not a PNG/)
  })
})

/** The app's icons as the packager packs them (ui/public/icons). */
const icon = async (size: number): Promise<Uint8Array> => new Uint8Array(await readFile(fileURLToPath(new URL(`../../ui/public/icons/icon-${size}.png`, import.meta.url))))

/** An .icns read back: its header's length and each entry's type and data. */
function icnsEntries (icns: Uint8Array): { magic: string, length: number, entries: Array<{ type: string, data: Uint8Array }> } {
  const view = new DataView(icns.buffer, icns.byteOffset, icns.byteLength)
  const text = (start: number): string => new TextDecoder().decode(icns.subarray(start, start + 4))
  const entries = []
  for (let offset = 8; offset < icns.byteLength; offset += view.getUint32(offset + 4)) {
    entries.push({ type: text(offset), data: icns.subarray(offset + 8, offset + view.getUint32(offset + 4)) })
  }
  return { magic: text(0), length: view.getUint32(4), entries }
}

describe('app bundle (macOS Applications folder)', () => {
  it('is an app named causette, its identifier beside the LaunchAgent\'s label, its script the executable, with no Dock icon', () => {
    const expected = {
      CFBundleName: 'causette',
      CFBundleDisplayName: 'causette',
      CFBundleIdentifier: 'org.causette.app',
      CFBundleExecutable: 'causette',
      CFBundlePackageType: 'APPL',
      CFBundleInfoDictionaryVersion: '6.0',
      LSUIElement: true
    }
    assert.deepEqual(parsePlist(appInfoPlist({ icon: true })), { ...expected, CFBundleIconFile: 'causette.icns' })
    assert.deepEqual(parsePlist(appInfoPlist({ icon: false })), expected, 'no icon from a source checkout')
    assert.match(appInfoPlist({ icon: true }), /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1.0\/\/EN"/)
  })

  it('runs the installed program with no command, each path one single-quoted word', () => {
    const command = menuCommand('darwin', { home: "/Users/Ana O'Brien", env: {} }, "/Users/Ana O'Brien/.causette $HOME")
    assert.equal(appLauncherScript(command), [
      '#!/bin/sh',
      '# Written by `causette install`; `causette uninstall` removes the app.',
      "exec '/Users/Ana O'\\''Brien/Library/Application Support/causette/causette' '--home' '/Users/Ana O'\\''Brien/.causette $HOME'",
      ''
    ].join('\n'))
  })

  it('shows the app\'s 512 px PNG icon as the ic09 entry of an .icns, and refuses a size an .icns has no slot for', async () => {
    const png = await icon(512)
    const icns = icnsFromPng(png)
    assert.deepEqual(icnsEntries(icns), { magic: 'icns', length: icns.byteLength, entries: [{ type: 'ic09', data: png }] })
    assert.throws(() => icnsFromPng(new TextEncoder().encode('<svg></svg> and more bytes')), /not a PNG/)
    await assert.rejects(async () => icnsFromPng(await icon(192)), /128, 256, 512 or 1024 pixels, not 192×192/)
  })
})

describe('LaunchAgent', () => {
  it('runs at load, restarts after a crash only, and escapes XML', () => {
    const plist = launchAgentPlist({ executable: '/Users/ana/Library/Application Support/causette/causette', args: ['start', '--home', '/Users/ana/R&D <x>'] }, '/Users/ana/Library/Logs/causette.log')
    assert.match(plist, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist/)
    assert.match(plist, /<key>Label<\/key>\n {2}<string>org\.causette\.node<\/string>/)
    assert.match(plist, /<key>ProgramArguments<\/key>\n {2}<array>\n {4}<string>\/Users\/ana\/Library\/Application Support\/causette\/causette<\/string>\n {4}<string>start<\/string>\n {4}<string>--home<\/string>\n {4}<string>\/Users\/ana\/R&amp;D &lt;x&gt;<\/string>\n {2}<\/array>/)
    assert.match(plist, /<key>RunAtLoad<\/key>\n {2}<true\/>/)
    assert.match(plist, /<key>KeepAlive<\/key>\n {2}<dict>\n {4}<key>SuccessfulExit<\/key>\n {4}<false\/>\n {2}<\/dict>/)
    assert.match(plist, /<key>StandardErrorPath<\/key>\n {2}<string>\/Users\/ana\/Library\/Logs\/causette\.log<\/string>/)
    assert.match(plist, /<\/dict>\n<\/plist>\n$/)
    assert.deepEqual(parsePlist(plist), {
      Label: 'org.causette.node',
      ProgramArguments: ['/Users/ana/Library/Application Support/causette/causette', 'start', '--home', '/Users/ana/R&D <x>'],
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ProcessType: 'Interactive',
      StandardOutPath: '/Users/ana/Library/Logs/causette.log',
      StandardErrorPath: '/Users/ana/Library/Logs/causette.log'
    }, 'a plist parser reads back what launchd would')
  })
})

describe('Windows Run key', () => {
  const command = autostartCommand('win32', WINDOWS, 'C:\\Users\\Ana Maria\\.causette\\')

  it('writes, reads and deletes one value of the user\'s Run key with reg.exe', () => {
    const value = runKeyValue(command)
    assert.equal(value, '"C:\\Users\\Ana Maria\\AppData\\Local\\Programs\\causette\\causette-launcher.exe" background --watch --home "C:\\Users\\Ana Maria\\.causette\\\\"')
    assert.deepEqual(regAddArgs(value), ['add', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', '/v', 'causette', '/t', 'REG_SZ', '/d', value, '/f'])
    assert.deepEqual(regQueryArgs(), ['query', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', '/v', 'causette'])
    assert.deepEqual(regDeleteArgs(), ['delete', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', '/v', 'causette', '/f'])
  })

  it('reads the value back from reg query\'s output', () => {
    const output = '\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\r\n    causette    REG_SZ    "C:\\x y\\causette-launcher.exe" background\r\n\r\n'
    assert.equal(parseRegQuery(output), '"C:\\x y\\causette-launcher.exe" background')
    assert.equal(parseRegQuery('\r\nHKEY_CURRENT_USER\\...\\Run\r\n    OneDrive    REG_SZ    x\r\n'), undefined)
  })
})

describe('windowless launcher', () => {
  it('is the same program marked as a windowed one', () => {
    const image = consoleImage()
    const launcher = asWindowedProgram(image)
    assert.equal(peSubsystem(launcher), SUBSYSTEM_WINDOWS_GUI)
    assert.equal(peSubsystem(image), SUBSYSTEM_WINDOWS_CUI, 'the original is left alone')
    const differing = [...launcher].flatMap((byte, index) => byte === image[index] ? [] : [index])
    assert.deepEqual(differing, [0x80 + 24 + 68])
  })

  it('refuses what is not a Windows console program', () => {
    assert.throws(() => asWindowedProgram(new TextEncoder().encode('#!/bin/sh\necho hi\n')), /not a Windows executable/)
    const elf = new Uint8Array(512)
    elf.set([0x7f, 0x45, 0x4c, 0x46])
    assert.throws(() => asWindowedProgram(elf), /not a Windows executable/)
    assert.throws(() => asWindowedProgram(asWindowedProgram(consoleImage())), /not a console program/)
  })
})

describe('browser opener', () => {
  const url = 'http://127.0.0.1:7421/#token=abc'
  it('uses each platform\'s own opener, and $BROWSER when set', () => {
    assert.deepEqual(browserCommand('linux', url, {}), { file: 'xdg-open', args: [url] })
    assert.deepEqual(browserCommand('darwin', url, {}), { file: 'open', args: [url] })
    assert.deepEqual(browserCommand('win32', url, {}), { file: 'rundll32.exe', args: ['url.dll,FileProtocolHandler', url] })
    assert.deepEqual(browserCommand('linux', url, { BROWSER: '/tmp/record-url' }), { file: '/tmp/record-url', args: [url] })
    assert.deepEqual(browserCommand('linux', url, { BROWSER: '' }), { file: 'xdg-open', args: [url] })
  })
})

describe('Windows autostart through reg.exe', () => {
  it('writes the value once, finds it the second time, and removes it once', async () => {
    const registry = fakeRegistry()
    const autostart = windowsAutostart(registry.run)
    const command = autostartCommand('win32', WINDOWS, 'C:\\Users\\Ana Maria\\.causette')
    assert.deepEqual(await autostart.state(), { enabled: false, how: 'run-key', where: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\causette' })
    assert.deepEqual((await autostart.register(command, { startNow: false })).map(step => step.changed), [true])
    assert.equal(registry.values.get('causette'), runKeyValue(command))
    const writes = registry.calls.filter(call => call[1] === 'add').length
    assert.deepEqual((await autostart.register(command, { startNow: false })).map(step => step.changed), [false])
    assert.equal(registry.calls.filter(call => call[1] === 'add').length, writes, 'the second install writes nothing')
    assert.equal((await autostart.state()).enabled, true)
    assert.deepEqual((await autostart.unregister()).map(step => step.changed), [true])
    assert.deepEqual((await autostart.unregister()).map(step => step.changed), [false])
    assert.equal((await autostart.state()).enabled, false)
  })

  it('starts the launcher now only when asked, without waiting for it (it stays, watching the node)', async () => {
    const registry = fakeRegistry()
    const launched: string[][] = []
    const command = autostartCommand('win32', WINDOWS, 'C:\\p')
    await windowsAutostart(registry.run, (file, args) => { launched.push([file, ...args]) }).register(command, { startNow: false })
    assert.equal(launched.length, 0)
    await windowsAutostart(registry.run, (file, args) => { launched.push([file, ...args]) }).register(command, { startNow: true })
    assert.deepEqual(launched, [[command.executable, ...command.args]])
    assert.ok(registry.calls.every(([file]) => file === 'reg.exe'), 'only reg.exe is run and waited for')
  })
})

describe('autostart in words (causette status, the app\'s welcome page)', () => {
  it('says whether the node starts at login, how and where, or how to make it', () => {
    assert.equal(autostartWords({ enabled: true, how: 'systemd', where: '/home/ana/.config/systemd/user/causette.service', program: null, menu: null }),
      'on (systemd user unit /home/ana/.config/systemd/user/causette.service)')
    assert.equal(autostartWords({ enabled: true, how: 'run-key', where: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\causette', program: null, menu: null }),
      "on (the user's Run key HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\causette)")
    assert.equal(autostartWords({ enabled: false, how: 'launch-agent', where: '/Users/ana/Library/LaunchAgents/org.causette.node.plist', program: null, menu: null }),
      'off (run causette install in a terminal to start it when you log in)')
    // Run from the downloaded file, there is no `causette` command yet: the app's switch, or the file itself as the command.
    assert.equal(autostartWords({ enabled: false, how: 'systemd', where: '/home/ana/.config/systemd/user/causette.service', program: '/home/ana/Downloads/causette-0.1.0-linux-x64', menu: null }),
      'off (turn it on in the app\'s Settings, or run "/home/ana/Downloads/causette-0.1.0-linux-x64" install in a terminal)')
    assert.equal(autostartWords({ enabled: false, how: 'none', where: null, program: null, menu: null }), 'cannot start by itself at login on this system')
    assert.deepEqual((['systemd', 'launch-agent', 'run-key'] as const).map(menuWords), ['your applications menu', 'your Applications folder', 'the Start menu'])
  })
})
