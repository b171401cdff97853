// How a name shared with another colleague is said: beside the name (NameTag.svelte) and in the
// labels that name a person alone (a message's "Alice, 10:04").

export const NAME_SHARED_WORDS = 'shares this name with another colleague, id'

/** A name as a label says it: with its tag when another colleague goes by it too. */
export function spokenName (name: string, tag: string | undefined): string {
  return tag === undefined ? name : `${name}, ${NAME_SHARED_WORDS} ${tag}`
}
