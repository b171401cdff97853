// A signer bound to one private key (crypto/ed25519.ts ed25519Signer). Every byte string we sign
// is a text that starts with its purpose label line (signing-labels.ts lists the purposes).
export type Signer = (message: Uint8Array) => Uint8Array
