// libsodium (sumo build: it has Argon2id and SHA-256). Only the default import works at run time.
import sodium from 'libsodium-wrappers-sumo'

export type Sodium = typeof sodium

let ready: Promise<Sodium> | undefined

export function loadSodium (): Promise<Sodium> {
  ready ??= sodium.ready.then(() => sodium)
  return ready
}
