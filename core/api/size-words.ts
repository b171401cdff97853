// A size in words, for the CLI and the app alike, so that `causette files` and the app's Settings say
// one thing: binary units named as such (KiB, MiB, GiB), as the profile's file limit is set (5 GiB
// unless set: "5 GiB", never the "5.4 GB" of decimal units) and as Windows' Explorer counts a file's
// size (naming the units KB, MB). Pure, no imports: the app may import it.

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB']
/** Shown rounded, under this a unit would read "1024 KiB": the next unit instead. */
const NEXT_UNIT_AT = 1023.5

/**
 * "812 bytes", "1 byte", "1.5 KiB", "23 MiB", "5 GiB": one decimal under 10 (never ".0"), none from 10
 * on. `space` goes between the number and its unit: the app gives a no-break space, so that a size is
 * never split over two lines.
 */
export function byteSize (bytes: number, space = ' '): string {
  const whole = Math.max(0, Math.round(bytes))
  if (whole < 1024) return `${whole}${space}${whole === 1 ? 'byte' : 'bytes'}`
  let value = whole / 1024
  let unit = 0
  while (value >= NEXT_UNIT_AT && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const shown = value < 9.95 ? Math.round(value * 10) / 10 : Math.round(value)
  return `${shown}${space}${UNITS[unit]}`
}

/** Bytes in one GiB: the unit the file limit is typed in (the app's Settings). */
export const GIB = 1024 ** 3
