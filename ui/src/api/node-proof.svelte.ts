// Before the app sends its token anywhere, the server on this origin must prove that it is the
// user's own node: once the daemon stops, any local program may take its port, and the service
// worker would still open the app there (issue 12). The proof is asked again after every lost
// connection, since the server may have changed in between (crypto/api-proof.ts).
import { apiProofKey, checkApiProof, newChallenge } from '../../../crypto/api-proof.js'
import { API_PREFIX, NODE_PROOF_PATH } from '../../../core/api/paths.js'
import type { NodeProof as NodeProofView } from '../../../core/api/schema.js'

export class NotYourNodeError extends Error {
  override name = 'NotYourNodeError'
  constructor () {
    super('the program on this port did not prove it is your causette node')
  }
}

export class NodeProof {
  readonly #key: Promise<CryptoKey>
  #proven: Promise<void> | undefined
  #refused = $state(false)

  constructor (token: string) {
    this.#key = apiProofKey(token)
  }

  /**
   * The server answered with a wrong proof: another program took the port, or the stored token is
   * not this node's (a new profile, a rotated token). The app cannot tell which; it keeps the token
   * and asks again, until a proof matches or a new link brings another token.
   */
  get refused (): boolean { return this.#refused }

  /** Resolves once the server proved itself since the last `forget`; rejects if it did not or could not. */
  async proven (): Promise<void> {
    if (this.#proven === undefined) {
      const attempt = this.#prove()
      this.#proven = attempt
      attempt.catch(() => { if (this.#proven === attempt) this.#proven = undefined })
    }
    await this.#proven
  }

  /** The server may have changed (a connection was lost): prove again before the next credential. */
  forget (): void {
    this.#proven = undefined
  }

  async #prove (): Promise<void> {
    const challenge = newChallenge()
    // No credential of any kind rides on this request.
    const response = await fetch(`${API_PREFIX}${NODE_PROOF_PATH}?challenge=${challenge}`, { cache: 'no-store', credentials: 'omit' })
      .catch((error: unknown) => {
        // Nobody answers: not a refusal, the node is just not running.
        this.#refused = false
        throw error
      })
    const { proof } = response.ok ? await response.json().catch(() => ({})) as Partial<NodeProofView> : {}
    this.#refused = typeof proof !== 'string' || !await checkApiProof(await this.#key, location.origin, challenge, proof)
    if (this.#refused) throw new NotYourNodeError()
  }
}
