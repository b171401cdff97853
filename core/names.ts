// How a person is named on the command line: by their whole display name, else by its first words
// ("Bruno" for "Bruno Petit"), case and accents aside ("chloe" for "Chloé Roux"); a whole name wins
// over a longer one that starts with it. Which people go by a name another does too, by the same
// folding. Pure: the CLI, the messaging logic and the node's views use it.

/** The items named `wanted` by `nameOf`: those whose whole name it is, else those it begins by whole words. */
export function namedBy<T> (items: readonly T[], wanted: string, nameOf: (item: T) => string): T[] {
  const name = folded(wanted)
  if (name === '') return []
  const whole = items.filter(item => folded(nameOf(item)) === name)
  return whole.length > 0 ? whole : items.filter(item => folded(nameOf(item)).startsWith(`${name} `))
}

/** The last characters of a PeerId, shown beside a name another person goes by too: every desk computes the same. */
export const NAME_TAG_LENGTH = 8

export function nameTagOf (peerId: string): string {
  return peerId.slice(-NAME_TAG_LENGTH)
}

/**
 * A name as plain text shows it: with its tag in brackets when another colleague goes by it too
 * (the views' nameTag or authorTag), as the app shows it beside the name: the CLI's output and the
 * title of a notification, the node's and the app's.
 */
export function taggedName (name: string, tag: string | undefined): string {
  return tag === undefined ? name : `${name} [${tag}]`
}

/** Who a focus digest is from, each once, as its notification says it ("Alice [1a2b3c4d], Bruno"). */
export function digestAuthors (digest: { from: ReadonlyArray<{ name: string, nameTag?: string | undefined }> }): string {
  return [...new Set(digest.from.map(from => taggedName(from.name, from.nameTag)))].join(', ')
}

/** A view's `{ nameTag }` when the person shares their name (`tag` given), else nothing to add. */
export const nameTagField = (tag: string | undefined): { nameTag?: string } => tag !== undefined ? { nameTag: tag } : {}

/** A message view's `{ authorTag }` when its author shares their name, else nothing to add. */
export const authorTagField = (tag: string | undefined): { authorTag?: string } => tag !== undefined ? { authorTag: tag } : {}

/**
 * The PeerIds of the people (the user among them) whose display name another of them goes by too,
 * case, accents and spaces aside: a colleague may call himself "alice " while Alice Martin's name is
 * "Alice", and the app must tell them apart (docs/SECURITY.md, "Two colleagues with one name").
 */
export function sharingAName (people: Iterable<{ peerId: string, name: string }>): Set<string> {
  const byName = new Map<string, string[]>()
  for (const person of people) {
    const name = folded(person.name)
    if (name === '') continue
    byName.set(name, [...(byName.get(name) ?? []), person.peerId])
  }
  return new Set([...byName.values()].filter(peerIds => new Set(peerIds).size > 1).flat())
}

function folded (name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').trim().replace(/\s+/g, ' ').toLowerCase()
}
