// The inviter's proof that it knows an invite's token, bound to the workspace and to itself. A short
// code carries neither the root key nor the inviter's key (they would not fit), so the joiner learns
// both over the connection. Showing a log with an invite entry for the code's key is not enough:
// every member holds the log and could present a workspace of its own with the same invite key in
// it. This proof needs the token, which only the inviter and the joiner have. The inviter keeps the
// proof (not the token, with which anyone could join), by invite key, beside the membership log.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { AbstractSublevel } from 'abstract-level'
import { fromBase64, toBase64, utf8 } from '../../crypto/encoding.js'

const PROOF_LABEL = utf8('causette/invite-proof/v2')

/** HMAC-SHA256 under the token of the label, the root key and the inviter's device key. */
export function inviteProof (token: Uint8Array, root: Uint8Array, inviter: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', token).update(PROOF_LABEL).update(root).update(inviter).digest())
}

/** Compared in constant time: a proof is derived from a secret. */
export function proofMatches (token: Uint8Array, root: Uint8Array, inviter: Uint8Array, proof: Uint8Array): boolean {
  const expected = inviteProof(token, root, inviter)
  return proof.length === expected.length && timingSafeEqual(expected, proof)
}

/** The proofs of this node's own invites, by invite key (base64). */
export class InviteProofs {
  readonly #db: AbstractSublevel<any, any, string, string>

  constructor (parent: AbstractSublevel<any, any, any, any>) {
    this.#db = parent.sublevel<string, string>('invite-proofs', { keyEncoding: 'utf8', valueEncoding: 'utf8' })
  }

  async put (inviteKey: Uint8Array, proof: Uint8Array): Promise<void> {
    await this.#db.put(toBase64(inviteKey), toBase64(proof))
  }

  async get (inviteKey: Uint8Array): Promise<Uint8Array | undefined> {
    const stored = await this.#db.get(toBase64(inviteKey))
    return stored === undefined ? undefined : fromBase64(stored)
  }
}
