// Every byte string we sign starts with a purpose label line, `causette/<purpose>/v1\n`, so a
// signature made for one purpose can never be replayed as another. This is the one list of purposes.
import { ed25519Verify } from './ed25519.js'
import { concat, utf8 } from './encoding.js'

export const SIGNING_PURPOSES = ['statement', 'device-record', 'receipt'] as const
export type SigningPurpose = typeof SIGNING_PURPOSES[number]

export function purposeLabel (purpose: SigningPurpose): string {
  return `causette/${purpose}/v1`
}

/** The exact bytes signed for `purpose`: its label line, then the payload. */
export function labelled (purpose: SigningPurpose, payload: Uint8Array): Uint8Array {
  return concat([utf8(purposeLabel(purpose) + '\n'), payload])
}

export type Signer = (message: Uint8Array) => Uint8Array

export function signLabelled (sign: Signer, purpose: SigningPurpose, payload: Uint8Array): Uint8Array {
  return sign(labelled(purpose, payload))
}

export function verifyLabelled (publicKey: Uint8Array, purpose: SigningPurpose, payload: Uint8Array, signature: Uint8Array): boolean {
  return ed25519Verify(publicKey, labelled(purpose, payload), signature)
}
