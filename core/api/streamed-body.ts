// What is left of a streamed request body (a release bundle, a file's bytes) that was refused.

/**
 * Reads and drops what is left of a refused upload. A client answered before it has sent its whole
 * body sees the connection closed instead of the answer (fetch fails with "other side closed"): the
 * CLI would say "fetch failed" instead of FILE_STORE_FULL. The bytes go nowhere; memory stays flat.
 */
export async function discardRest (body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (body === null || body.locked) return
  try {
    for await (const _piece of body) { /* dropped */ }
  } catch {
    // The client went away: there is nobody left to answer.
  }
}
