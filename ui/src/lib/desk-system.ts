// The system the browser (and so the node, on 127.0.0.1) runs on, as far as the user agent says:
// help texts name that system's own settings, and both when it is unknown.

export type DeskSystem = 'windows' | 'mac' | 'other'

export function deskSystem (userAgent: string = navigator.userAgent): DeskSystem {
  if (/Windows/.test(userAgent)) return 'windows'
  return /Macintosh|Mac OS X/.test(userAgent) ? 'mac' : 'other'
}
