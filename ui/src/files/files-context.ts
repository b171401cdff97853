// The received files' access, given once by the shell and read by every message that carries one.
import { getContext, setContext } from 'svelte'
import type { ReceivedFiles } from './received-files.js'

const KEY = Symbol('causette.received-files')

/** `files` gives the app's (the shell's app never changes while it is on screen). */
export function provideReceivedFiles (files: () => ReceivedFiles): void {
  setContext(KEY, files)
}

/** Call it while the component initialises; undefined outside the shell (nothing to fetch then). */
export function receivedFiles (): ReceivedFiles | undefined {
  return getContext<(() => ReceivedFiles) | undefined>(KEY)?.()
}
