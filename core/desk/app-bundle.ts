// The app bundle (macOS) that opens causette from Launchpad, Spotlight or the Applications folder, as
// text: its Info.plist and its executable, a shell script that runs the installed program with no
// command, as a double-click does (start the node unless it runs, open the app in the browser).
// LSUIElement: the bundle has no window of its own (the browser is the app's), so no Dock icon
// bounces for the moment the script runs. No version: the program updates itself under the bundle.
import { APP_BUNDLE_ID } from './locations.js'
import { shellWord } from './shell-word.js'
import type { AutostartCommand } from './systemd-unit.js'

/** The bundle's executable, in Contents/MacOS, and the icon file's name in Contents/Resources. */
export const APP_EXECUTABLE = 'causette'
export const APP_ICON_FILE = 'causette.icns'

export function appInfoPlist ({ icon }: { icon: boolean }): string {
  const strings: Array<[string, string]> = [
    ['CFBundleName', 'causette'],
    ['CFBundleDisplayName', 'causette'],
    ['CFBundleIdentifier', APP_BUNDLE_ID],
    ['CFBundleExecutable', APP_EXECUTABLE],
    ['CFBundlePackageType', 'APPL'],
    ['CFBundleInfoDictionaryVersion', '6.0']
  ]
  if (icon) strings.push(['CFBundleIconFile', APP_ICON_FILE])
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `causette install`; `causette uninstall` removes the app. -->',
    '<plist version="1.0">',
    '<dict>',
    ...strings.map(([key, value]) => `  <key>${key}</key>\n  <string>${value}</string>`),
    '  <key>LSUIElement</key>\n  <true/>',
    '</dict>',
    '</plist>',
    ''
  ].join('\n')
}

/**
 * The executable: `exec` leaves no shell behind. Only the words install gives, each single-quoted, so
 * a home folder with spaces or quotes stays one argument; no "$@" (old Finders passed a -psn_ one).
 */
export function appLauncherScript ({ executable, args }: AutostartCommand): string {
  return [
    '#!/bin/sh',
    '# Written by `causette install`; `causette uninstall` removes the app.',
    `exec ${[executable, ...args].map(shellWord).join(' ')}`,
    ''
  ].join('\n')
}
