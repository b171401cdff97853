// How a person is named on the command line: by their whole display name, else by its first words
// ("Bruno" for "Bruno Petit"), case and accents aside ("chloe" for "Chloé Roux"); a whole name wins
// over a longer one that starts with it. Pure: the CLI and the messaging logic both use it.

/** The items named `wanted` by `nameOf`: those whose whole name it is, else those it begins by whole words. */
export function namedBy<T> (items: readonly T[], wanted: string, nameOf: (item: T) => string): T[] {
  const name = folded(wanted)
  if (name === '') return []
  const whole = items.filter(item => folded(nameOf(item)) === name)
  return whole.length > 0 ? whole : items.filter(item => folded(nameOf(item)).startsWith(`${name} `))
}

function folded (name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').trim().replace(/\s+/g, ' ').toLowerCase()
}
