// An admin's decision to pause or resume updates for the workspace: exact text bytes with a purpose
// label, signed by the admin's device key. Colleagues pass the latest one on in their announces;
// each node accepts one only if its signer is an admin in its own member table, for its own
// workspace, and newer than the one it holds, so a member can never pause (nor resume) anything.
//
//   causette/update-pause/v1
//   workspace: <workspace id>
//   signer: <base64 Ed25519 device key>
//   paused: yes|no
//   issued: <Unix ms>
import { ED25519_PUBLIC_KEY_BYTES, ed25519Verify } from '../../crypto/ed25519.js'
import { equals, parseBase64, toBase64, utf8 } from '../../crypto/encoding.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { purposeLabel } from '../../crypto/signing-labels.js'
import type { Signer } from '../../crypto/signing.js'
import { integerField, readFields } from '../../crypto/text-fields.js'
import { CausetteError } from '../errors.js'

const HEADER = purposeLabel('update-pause')
const FIELDS = ['workspace', 'signer', 'paused', 'issued'] as const
const MAX_DECISION_BYTES = 512

export interface PauseDecision {
  workspace: string
  /** The signer's PeerId (from its key). */
  signer: string
  paused: boolean
  issued: number
}

export interface SignedPauseDecision { bytes: Uint8Array, signature: Uint8Array }

function bad (why: string): never {
  throw new CausetteError('UPDATE_BAD_DECISION', `pause decision: ${why}`)
}

function decisionBytes (workspace: string, signer: Uint8Array, paused: boolean, issued: number): Uint8Array {
  return utf8(`${HEADER}\nworkspace: ${workspace}\nsigner: ${toBase64(signer)}\npaused: ${paused ? 'yes' : 'no'}\nissued: ${issued}\n`)
}

export function signPauseDecision (sign: Signer, deviceKey: Uint8Array, decision: { workspace: string, paused: boolean, issued: number }): SignedPauseDecision {
  const bytes = decisionBytes(decision.workspace, deviceKey, decision.paused, decision.issued)
  return { bytes, signature: sign(bytes) }
}

/** Checks the text and its signature by the key it names; whether that key is an admin is the caller's check. */
export function openPauseDecision (signed: SignedPauseDecision): PauseDecision {
  if (signed.bytes.byteLength > MAX_DECISION_BYTES) bad(`over ${MAX_DECISION_BYTES} bytes`)
  let values: string[] = []
  try {
    ({ values } = readFields(signed.bytes, HEADER, FIELDS, bad))
  } catch (error) {
    if (error instanceof CausetteError) throw error
    bad('not UTF-8 text')
  }
  const [workspace, signerText, paused, issued] = values
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(workspace!)) bad('the workspace is not an id')
  const signer = parseBase64(signerText!, ED25519_PUBLIC_KEY_BYTES) ?? bad('the signer is not an Ed25519 key')
  if (paused !== 'yes' && paused !== 'no') bad('paused is yes or no')
  const decision = { workspace: workspace!, signer: ed25519PeerId(signer), paused: paused === 'yes', issued: integerField(issued!, 'issued', 0, bad) }
  if (!equals(decisionBytes(decision.workspace, signer, decision.paused, decision.issued), signed.bytes)) bad('not in its one canonical form')
  if (!ed25519Verify(signer, signed.bytes, signed.signature)) bad('the signature does not verify')
  return decision
}
