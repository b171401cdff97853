// Where the arrow keys take the focus in a grid laid out in rows of `columns`, filled left to right.

/**
 * The index the key moves to from `at` among `count` cells; `'above'` when ↑ leaves the first row (the
 * search field is above the grid); undefined for a key that does not move.
 */
export function gridMove (key: string, at: number, count: number, columns: number, ctrl = false): number | 'above' | undefined {
  const last = count - 1
  const rowStart = at - at % columns
  switch (key) {
    case 'ArrowRight': return Math.min(at + 1, last)
    case 'ArrowLeft': return Math.max(at - 1, 0)
    case 'ArrowDown': return at + columns <= last ? at + columns : rowStart + columns <= last ? last : at
    case 'ArrowUp': return at < columns ? 'above' : at - columns
    case 'Home': return ctrl ? 0 : rowStart
    case 'End': return ctrl ? last : Math.min(rowStart + columns - 1, last)
    case 'PageDown': return Math.min(at + columns * 4, last)
    case 'PageUp': return Math.max(at - columns * 4, 0)
    default: return undefined
  }
}
