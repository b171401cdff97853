// Who "you" are, for the message text: a mention of you is highlighted differently. And the tag of
// a mentioned colleague whose name another goes by too, as the people list holds it now. Both given
// once by the shell (it knows the node's status and the people), read by every message's text.
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

const TAGS_KEY = Symbol('causette.name-tags')

/** Called by the shell: `tagOf` gives a person's nameTag (core/names.ts), undefined when nobody else goes by their name. */
export function provideNameTags (tagOf: (peerId: string) => string | undefined): void {
  setContext(TAGS_KEY, tagOf)
}

/** Reads the tag of a mentioned PeerId (always undefined outside the shell). Call it while the component initialises. */
export function nameTags (): (peerId: string) => string | undefined {
  return getContext<((peerId: string) => string | undefined) | undefined>(TAGS_KEY) ?? (() => undefined)
}
