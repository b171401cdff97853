// The LaunchAgent that starts this desk's node at login (macOS), as plist text. RunAtLoad starts it
// at login; KeepAlive { SuccessfulExit: false } restarts it after a crash, not after a clean stop.
import { LAUNCH_AGENT_LABEL } from './locations.js'
import type { AutostartCommand } from './systemd-unit.js'

export function launchAgentPlist ({ executable, args }: AutostartCommand, logPath: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `causette install`; `causette uninstall` removes it. -->',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>\n  <string>${LAUNCH_AGENT_LABEL}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...[executable, ...args].map(word => `    <string>${xmlText(word)}</string>`),
    '  </array>',
    '  <key>RunAtLoad</key>\n  <true/>',
    '  <key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>',
    '  <key>ProcessType</key>\n  <string>Interactive</string>',
    `  <key>StandardOutPath</key>\n  <string>${xmlText(logPath)}</string>`,
    `  <key>StandardErrorPath</key>\n  <string>${xmlText(logPath)}</string>`,
    '</dict>',
    '</plist>',
    ''
  ].join('\n')
}

function xmlText (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
