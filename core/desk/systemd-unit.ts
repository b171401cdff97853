// The systemd user unit that starts this desk's node at login (Linux), as text. Restart=on-failure:
// a crash restarts the node; `causette` stopping by itself (exit 0) stays stopped.
export interface AutostartCommand {
  /** The installed executable. */
  executable: string
  /** The arguments after it, e.g. ['start', '--home', '/home/ana/.causette']. */
  args: string[]
}

export function systemdUnit ({ executable, args }: AutostartCommand): string {
  return [
    '# Written by `causette install`; `causette uninstall` removes it.',
    '[Unit]',
    'Description=causette: this desk\'s messenger node',
    // A node that cannot start (a damaged profile, a port taken) is not retried for ever. (A profile
    // with a passphrase starts locked and waits for it in the app: core/node/locked-start.ts.)
    'StartLimitIntervalSec=300',
    'StartLimitBurst=5',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[executable, ...args].map(systemdWord).join(' ')}`,
    'Restart=on-failure',
    'RestartSec=5',
    // An update restarts through systemd (exit 75, core/update/swap/restart.ts), never by a spawn
    // that systemd would kill with the unit: say so rather than leave the node to guess.
    'Environment=CAUSETTE_SUPERVISOR=systemd',
    '',
    '[Install]',
    'WantedBy=default.target',
    ''
  ].join('\n')
}

/**
 * One word of ExecStart: double-quoted, with C escapes for backslash and quote, `%%` for a percent
 * sign (systemd's specifiers) and `$$` for a dollar sign (its variable expansion), so any path stays one word.
 */
export function systemdWord (word: string): string {
  if (/[\n\r]/.test(word)) throw new Error('a unit file cannot hold a path with a line break')
  const escaped = word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')
  return `"${escaped}"`
}
