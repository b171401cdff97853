// Devices and entries for the membership tests: a device in one call, an invitee's proof in one call.
import { ed25519FromSeed, ed25519Signer, ed25519Verify } from '../../crypto/ed25519.js'
import { randomBytes } from '../../crypto/random.js'
import { sha256 } from '../../crypto/sha256.js'
import type { EntryBody, Role } from '../../crypto/membership-entry.js'
import { MembershipLog, signGenesis, signJoinRequest, signNext, type EntrySigner, type JoinProof, type SignedEntry } from '../../crypto/membership-log.js'

export const primitives = { sha256, ed25519Verify }
export const T0 = 1_700_000_000_000
export const DAY = 24 * 3600 * 1000

export interface TestDevice extends EntrySigner { name: string, identityKey: Uint8Array, prekey: Uint8Array }

export function device (name: string): TestDevice {
  const seed = randomBytes(32)
  return { name, publicKey: ed25519FromSeed(seed).publicKey, sign: ed25519Signer(seed), identityKey: randomBytes(32), prekey: randomBytes(32) }
}

export function inviteKeys (): EntrySigner {
  const seed = randomBytes(32)
  return { publicKey: ed25519FromSeed(seed).publicKey, sign: ed25519Signer(seed) }
}

export function genesisOf (root: TestDevice, time = T0): SignedEntry {
  return signGenesis(root, { name: 'Acme', deviceName: root.name, identityKey: root.identityKey, prekeyId: 1, prekey: root.prekey }, time)
}

export function newLog (root: TestDevice): MembershipLog {
  return MembershipLog.fromGenesis(primitives, genesisOf(root))
}

export function proofFor (log: MembershipLog, invitee: TestDevice, invite: EntrySigner, time = T0 + 1000): JoinProof {
  return signJoinRequest(invitee.sign, invite.sign, {
    root: log.root, invite: invite.publicKey, device: invitee.publicKey, identityKey: invitee.identityKey, prekeyId: 1, prekey: invitee.prekey, name: invitee.name, time
  })
}

export function admitBody (invite: EntrySigner, proof: JoinProof, role: Role = 'member'): EntryBody {
  return { kind: 'admit', role, invite: invite.publicKey, ...proof }
}

/** Applies, as `admin`, an invite and the admission of `invitee`; returns the invite keys. */
export function admit (log: MembershipLog, admin: TestDevice, invitee: TestDevice, role: Role = 'member'): EntrySigner {
  const invite = inviteKeys()
  log.apply(signNext(log, admin, { kind: 'invite', inviteKey: invite.publicKey, role, expires: T0 + DAY }, T0 + 10))
  log.apply(signNext(log, admin, admitBody(invite, proofFor(log, invitee, invite), role), T0 + 20))
  return invite
}
