// The Debian tools a part of the bench needs (prosody, Chromium, llvm-strip), installed when missing
// the way `npm test` installs them (scripts/install-tools.sh: as root with apt-get, else it says
// what to install), and whether the parts made of network namespaces can run. A part whose tool
// stays missing prints why in its row; the rest still runs.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { lanUnavailableReason } from '../test/helpers/netns.js'

const SCRIPTS = new URL('../scripts/', import.meta.url).pathname

/** A part of the bench that could not run, and why. */
export interface Unavailable { unavailable: string }

/** Installs the packages that provide `commands` when missing; the reason when that cannot be done. */
export async function installTools (...commands: string[]): Promise<string | undefined> {
  try {
    await promisify(execFile)('bash', [join(SCRIPTS, 'install-tools.sh'), ...commands], { maxBuffer: 16 * 2 ** 20 })
    return undefined
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? error)
    return stderr.trim().split('\n').filter(line => line.startsWith('install-tools:')).pop() ?? stderr.trim().split('\n').pop()
  }
}

/** Why a part made of network namespaces cannot run here (iproute2's `commands`, root), or undefined. */
export async function namespacesMissing (...commands: string[]): Promise<string | undefined> {
  const missing = await installTools(...commands)
  if (missing !== undefined) return `iproute2 could not be installed: ${missing}`
  const cannot = await lanUnavailableReason()
  return cannot === undefined ? undefined : `network namespaces need ${cannot}`
}
