// What the desk commands (install, uninstall, the no-argument run) need to know about this machine.
import { deskPlatform, type DeskPlatform } from '../desk/locations.js'
import { CausetteError } from '../errors.js'

/** This operating system (or a test's desk), when it has an autostart of ours. */
export function supportedPlatform (platform: DeskPlatform | undefined = deskPlatform()): DeskPlatform {
  if (platform === undefined) throw new CausetteError('DESK_UNSUPPORTED', `causette cannot start itself at login on ${process.platform}: run \`causette start\` yourself`)
  return platform
}

/** The steps install or uninstall took, one line each: what changed, and what was already so. */
export function describeSteps (steps: Array<{ changed: boolean, what: string }>, done: string, already: string): string[] {
  return steps.map(step => `${(step.changed ? done : already).padEnd(Math.max(done.length, already.length))}  ${step.what}`)
}
