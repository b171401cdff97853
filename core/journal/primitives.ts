// The journal's hash and signature primitives in Node: node:crypto through crypto/sha256.ts and
// crypto/ed25519.ts. The browser passes libsodium-backed ones to the same pure verifier.
import { ed25519Verify } from '../../crypto/ed25519.js'
import type { LogPrimitives } from '../../crypto/log/primitives.js'
import { sha256 } from '../../crypto/sha256.js'

export const nodeLogPrimitives: LogPrimitives = { sha256, ed25519Verify }
