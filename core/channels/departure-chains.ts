// What our removal or leave names of the departing device's sender-key chains (docs/channels.md,
// "Posting ends at the departure"): every member then takes that device's later group messages only
// on those chains, below the iteration named. A removal names the chains we hold of the member and the
// first iteration of each we have not received; our leave, our chain and those it replaced, and the
// first iteration of each we never sent.
import { MAX_DEPARTURE_CHAINS, type DepartureChain } from '../../crypto/channel-entry.js'
import type { OwnSenderChain, SenderKeyRecord } from '../../crypto/e2e/sender-key.js'

/** The chains we hold of a member, from `record` (none if it never sent us its chain). */
export function chainsReceivedFrom (record: SenderKeyRecord | undefined): DepartureChain[] {
  // Newest first: a record holds no more than an entry names, but a stored one is not ours to trust blindly.
  return (record?.chains ?? []).slice(0, MAX_DEPARTURE_CHAINS).map(chain => ({ chainId: chain.chainId, next: chain.iteration }))
}

/** Our own chains in a channel: the current one and those it replaced (none if we never sent there). */
export function chainsWeSent (chain: OwnSenderChain | undefined): DepartureChain[] {
  if (chain === undefined) return []
  return [chain, ...chain.previous].map(end => ({ chainId: end.chainId, next: end.iteration }))
}
