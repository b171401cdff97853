// Release versions: MAJOR.MINOR.PATCH, decimal, no leading zeros; compared number by number.
const VERSION_PATTERN = /^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$/

export function isVersion (text: string): boolean {
  return VERSION_PATTERN.test(text)
}

/** Negative if a < b, 0 if equal, positive if a > b. Both must be versions (isVersion). */
export function compareVersions (a: string, b: string): number {
  const left = parts(a)
  const right = parts(b)
  for (let i = 0; i < 3; i++) {
    if (left[i] !== right[i]) return left[i]! - right[i]!
  }
  return 0
}

function parts (version: string): number[] {
  const match = VERSION_PATTERN.exec(version)
  if (match === null) throw new RangeError(`not a version: ${version.slice(0, 40)}`)
  return match.slice(1).map(Number)
}
