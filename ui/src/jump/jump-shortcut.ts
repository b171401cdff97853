// The key that opens the jump-to box: Ctrl+K, or ⌘K on a Mac (where Ctrl+K in a text field deletes
// to the end of the line, and stays so). That chord alone: with Shift or Alt, and any other key, it
// stays the browser's or the text field's.

/** What the check reads of a key press (a KeyboardEvent has it all). */
export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
  isComposing: boolean
}

export interface JumpChord {
  /** Shown on the sidebar's button. */
  label: string
  /** Its aria-keyshortcuts value. */
  keys: string
}

/** Whether this browser runs on a Mac (or an iPad with a keyboard): ⌘ is its shortcut key. */
export function onMac (userAgent: string = navigator.userAgent): boolean {
  return /Macintosh|Mac OS X|iPhone|iPad/.test(userAgent)
}

export function isJumpChord (press: KeyPress, mac: boolean): boolean {
  if (press.altKey || press.shiftKey || press.isComposing) return false
  const modifier = mac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey
  return modifier && press.key.toLowerCase() === 'k'
}

export function jumpChord (mac: boolean): JumpChord {
  return mac ? { label: '⌘K', keys: 'Meta+K' } : { label: 'Ctrl K', keys: 'Control+K' }
}
