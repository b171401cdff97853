// A sender key distribution travels inside the pairwise Double Ratchet session, like a message: its
// plaintext is the payload kind byte 3 (1 is a message, 2 a receipt) and encodeDistribution's bytes.
import { concat } from '../../crypto/encoding.js'
import { decodeDistribution, encodeDistribution, type SenderKeyDistribution } from '../../crypto/e2e/sender-key.js'
import { toBase64Url } from '../../crypto/encoding.js'
import { DISTRIBUTION_PAYLOAD_KIND } from '../protocol/inbound-router.js'

export function encodeDistributionPayload (d: SenderKeyDistribution): Uint8Array {
  return concat([Uint8Array.of(DISTRIBUTION_PAYLOAD_KIND), encodeDistribution(d)])
}

export function decodeDistributionPayload (plaintext: Uint8Array): SenderKeyDistribution {
  return decodeDistribution(plaintext.subarray(1))
}

// Outbox item ids name the member too: delivery tracks items in flight by id alone.
/** The outbox item id of a chain's distribution to one member. */
export function distributionItemId (chainId: Uint8Array, peer: string): string {
  return `sender-key-${toBase64Url(chainId)}-${peer}`
}
