// Where a verified release leaves core/update: the node's wiring gives the update service a
// ReleaseInstaller, and the service calls `install` once the executable for this node's own target
// is on disk, whole, and checked against the signed manifest. h/swap's installer puts it in place
// of the running executable at a quiet moment, restarts and rolls back on a failed health check.

export interface VerifiedRelease {
  version: string
  /** This node's own target (build-info's TARGET): linux-x64, win-x64, ... */
  target: string
  /** The executable, in the profile (updates/releases/<version>/<file>): copy it, do not move it; colleagues fetch it from there. */
  path: string
  /** Its SHA-256 as the signed manifest gives it, lowercase hex: check it again before executing. */
  sha256: string
}

export interface ReleaseInstaller {
  /** What status says it does with a release (`causette update status`). */
  readonly description: string
  /**
   * Takes a verified release in hand; resolves once it has (the swap itself may come later).
   * Called once per version while the node runs, and at every start while the release held is newer
   * than the version running; if it throws, status shows the error and it is not called again for
   * that version until the next start. So an installer that rolled a version back should throw
   * for it (or resolve without swapping), or the office would retry it at each start.
   */
  install: (release: VerifiedRelease) => Promise<void>
}

/** For a run from source (nothing to swap): the release waits, ready to install by hand. */
export const readyToInstall: ReleaseInstaller = {
  description: 'none (not a packaged executable): the release is kept ready to install',
  install: async () => {}
}
