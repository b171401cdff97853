// Signing with a purpose label (see signing-labels.ts) for payloads that are not themselves
// labelled text: the signed bytes are the label line, then the payload.
import { ed25519Verify } from './ed25519.js'
import { concat, utf8 } from './encoding.js'
import { purposeLabel, type SigningPurpose } from './signing-labels.js'

export { purposeLabel, SIGNING_PURPOSES, type SigningPurpose } from './signing-labels.js'

export type Signer = (message: Uint8Array) => Uint8Array

/** The exact bytes signed for `purpose`: its label line, then the payload. */
export function labelled (purpose: SigningPurpose, payload: Uint8Array): Uint8Array {
  return concat([utf8(purposeLabel(purpose) + '\n'), payload])
}

export function signLabelled (sign: Signer, purpose: SigningPurpose, payload: Uint8Array): Uint8Array {
  return sign(labelled(purpose, payload))
}

export function verifyLabelled (publicKey: Uint8Array, purpose: SigningPurpose, payload: Uint8Array, signature: Uint8Array): boolean {
  return ed25519Verify(publicKey, labelled(purpose, payload), signature)
}
