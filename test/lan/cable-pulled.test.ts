// A colleague's cable pulled (or their PC's power cut): nothing closes the connection, no packet
// says goodbye. The connection monitor's pings (PING_INTERVAL_MS, each given PING_TIMEOUT_MS,
// core/node/p2p-host.ts) are what tells the other desks (how long it took is printed, not
// asserted): they show the colleague offline, keep what is written to them, and deliver it once
// the cable is back and mDNS has brought the two desks together again.
import { test } from 'node:test'
import type { MessageView, PeerView } from '../../core/api/schema.js'
import { PING_INTERVAL_MS, PING_TIMEOUT_MS } from '../../core/node/p2p-host.js'
import { createLan } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { eventually } from '../helpers/lan-wait.js'
import { fullMesh, startSoakOffice, type SoakMember } from '../helpers/soak-nodes.js'

/** A ping's interval, then its time to fail, with room to spare. */
const NOTICE = { timeoutMs: PING_INTERVAL_MS + PING_TIMEOUT_MS + 15_000, pollMs: 500 }

async function connected (member: SoakMember, other: SoakMember): Promise<boolean> {
  const peers = await member.api.get<PeerView[]>('/api/v1/peers')
  return peers.some(peer => peer.peerId === other.peerId && peer.connected)
}

test('a pulled cable: the colleague shows offline within a ping interval and its timeout; a message written meanwhile arrives once it is plugged back', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 2 })
  const [ada, bob] = await startSoakOffice(t, lan.hosts, ['ada', 'bob']) as [SoakMember, SoakMember]
  await fullMesh([ada, bob], 30_000)

  await bob.host.setLink(false)
  const pulledAt = Date.now()
  await eventually('ada to show bob offline', async () => !await connected(ada, bob), NOTICE)
  t.diagnostic(`bob offline at ada ${Date.now() - pulledAt} ms after his cable was pulled (pings every ${PING_INTERVAL_MS} ms, each given ${PING_TIMEOUT_MS} ms)`)
  const sent = await ada.api.post<MessageView>('/api/v1/messages', { to: bob.peerId, text: 'Call me when you are back' })

  await bob.host.setLink(true)
  await fullMesh([ada, bob], 30_000)
  await eventually('bob to have the message, and ada to see it delivered', async () => {
    const received = await bob.api.get<MessageView[]>(`/api/v1/messages?with=${ada.peerId}`)
    const own = await ada.api.get<MessageView[]>(`/api/v1/messages?with=${bob.peerId}`)
    return received.some(message => message.id === sent.id) && own.some(message => message.id === sent.id && message.state === 'delivered')
  }, { timeoutMs: 30_000, pollMs: 300 })
})
