// Who "you" are, for the message text: a mention of you is highlighted differently. Given once by
// the shell (it knows the node's status), read by every message's text.
import { getContext, setContext } from 'svelte'

const KEY = Symbol('causette.me')

/** Called by the shell: `me` gives our PeerId once the status is known. */
export function provideMe (me: () => string | undefined): void {
  setContext(KEY, me)
}

/** Our PeerId, if known (undefined outside the shell, as in a test of one component). */
export function myPeerId (): string | undefined {
  return getContext<(() => string | undefined) | undefined>(KEY)?.()
}
