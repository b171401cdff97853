// An office whose network drops multicast (Wi-Fi that isolates its clients, a switch that filters
// it): mDNS finds nobody, and each desk knows only the first desk's address, from its invite code.
// Colleagues tell each other where they are (peer exchange, DESIGN.md §10), so every desk comes to
// be connected to every other. Then the first desk is off, and another starts again with no address
// given (the next morning): it dials its colleagues where it met them, and writes to one directly.
import { test } from 'node:test'
import type { MessageView } from '../../core/api/schema.js'
import { createLan } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { eventually } from '../helpers/lan-wait.js'
import { fullMesh, startSoakOffice } from '../helpers/soak-nodes.js'

const NAMES = ['ada', 'bob', 'cyd', 'dan', 'eve']
const WAIT = { timeoutMs: 60_000, pollMs: 300 }

test('without multicast, desks that know only the first one\'s address come to reach every colleague', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: NAMES.length, multicastRoute: false })
  const members = await startSoakOffice(t, lan.hosts, NAMES)
  const [ada, bob, , , eve] = members
  const startedAt = Date.now()
  await fullMesh(members, WAIT.timeoutMs)
  t.diagnostic(`every desk connected to every other ${Date.now() - startedAt} ms after the last one started`)

  await ada!.stop('SIGTERM')
  await bob!.stop('SIGTERM')
  await bob!.start()
  const sent = await bob!.api.post<MessageView>('/api/v1/messages', { to: eve!.peerId, text: 'No need for Ada' })
  await eventually('bob\'s message delivered to eve', async () => {
    const own = await bob!.api.get<MessageView[]>(`/api/v1/messages?with=${eve!.peerId}`)
    return own.some(message => message.id === sent.id && message.state === 'delivered')
  }, WAIT)
})
