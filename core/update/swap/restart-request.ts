// A restart is asked of the whole process, as a stop is by SIGTERM: the installer (wherever the
// node's wiring put it) asks, and `causette start` stops the node and the API, then restarts.
let resolveRequest: () => void = () => {}
const requested = new Promise<void>(resolve => { resolveRequest = resolve })

export function requestRestart (): void {
  resolveRequest()
}

/** Resolves once a restart is requested (at once if one was already). */
export async function restartRequested (): Promise<void> {
  await requested
}
