// What h/update's service hands over once a release for this node's own target is downloaded and
// its signature checked: the file on disk and what it must be. Structurally the same as the
// service's own `ReleaseInstaller`, so either type fits the other.

export interface VerifiedRelease {
  /** The release's version, e.g. "0.3.0". */
  version: string
  /** The platform it was built for, e.g. "linux-x64" (the service checked it is ours). */
  target: string
  /** Where the verified file is on disk. */
  path: string
  /** Lowercase hex SHA-256 of the file, from the signed release. */
  sha256: string
}

export interface ReleaseInstaller {
  /**
   * Swaps the running executable for `release` at a quiet moment, then restarts on it. Resolves
   * once the restart is requested (the process then stops); rejects with a CausetteError
   * (UPDATE_SWAP_*) when nothing was changed and the current version runs on.
   */
  install: (release: VerifiedRelease) => Promise<void>
}
