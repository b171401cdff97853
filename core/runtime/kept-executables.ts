// The copies an update keeps beside the executable it replaced (core/update/swap/), named here so
// that `causette uninstall` (core/desk/) removes them with the program.

/** The version kept for rollback. */
export function previousExecutable (executable: string): string {
  return `${executable}.previous`
}

/** Where a rolled-back version is put aside (Windows renames a running .exe but cannot delete it). */
export function failedExecutable (executable: string): string {
  return `${executable}.failed`
}

/** Both copies, as uninstall removes them. */
export function keptExecutables (executable: string): string[] {
  return [previousExecutable(executable), failedExecutable(executable)]
}
