// Who "you" are, for the message text: a mention of you is highlighted differently. Given once by
// the shell (it knows the node's status), read by every message's text.
import { getContext, setContext } from 'svelte'

const KEY = Symbol('causette.me')

/** Called by the shell: `me` gives our PeerId once the status is known. */
export function provideMe (me: () => string | undefined): void {
  setContext(KEY, me)
}

/**
 * Reads our PeerId (undefined until the status is known, or outside the shell). Call it while the
 * component initialises; the getter it returns may be read at any time.
 */
export function myPeerId (): () => string | undefined {
  return getContext<(() => string | undefined) | undefined>(KEY) ?? (() => undefined)
}
