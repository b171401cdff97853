// Verifies a journal export file in the browser, offline, with the same code and the same verdict
// as `causette log verify`: the pure verifier of crypto/log, given libsodium primitives.
export interface VerifyOutcome {
  ok: boolean
  /** One line per finding, as the CLI prints them. */
  summary: string[]
}

export async function verifyExportText (text: string): Promise<VerifyOutcome> {
  const [{ loadSodiumPrimitives }] = await Promise.all([import('./sodium-primitives.js')])
  const primitives = await loadSodiumPrimitives()
  void primitives
  void text
  return { ok: false, summary: ['The journal verifier is not available in this build yet.'] }
}
