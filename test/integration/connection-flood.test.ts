// Connection floods (docs/SECURITY.md, "Connection floods"): stalled TCP connections from 100
// loopback addresses, each under the per-host rate, fill the node's pending-handshake slots, so
// libp2p refuses every new inbound connection, a restarted member's included. The node must say
// so, and must get the member back by dialling it itself (an outbound dial holds no inbound slot).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { freePort } from '../helpers/free-port.js'
import { REPO_ROOT } from '../helpers/lan-process.js'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'

const FLOOD_RATE_PER_SECOND = 400
const FLOOD_HOSTS = 100

test('a restarted member reconnects while stalled connections flood the node, and the flood is reported', async (t) => {
  const warnings: string[] = []
  const target = await testNode(t, { name: 'flooded', warn: line => { warnings.push(line) } })
  // The member keeps its port across the restart, as a desk does (the default 7420).
  const member = { home: await tempHome(t), port: await freePort(), name: 'member', peers: [addressOf(target)] }
  const first = await testNode(t, member)
  await waitForPeer(target, first.peerId)

  const targetPort = /\/tcp\/(\d+)/.exec(addressOf(target))?.[1] ?? ''
  const flood = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/stalled-connections.ts', targetPort, String(FLOOD_RATE_PER_SECOND), String(FLOOD_HOSTS)], { cwd: REPO_ROOT, stdio: 'ignore' })
  t.after(() => { flood.kill() })
  await eventually(() => target.limits.inbound.counts.floodWarnings > 0 || undefined, 60_000, 'the flood to fill the pending handshakes')

  await first.stop()
  const restarted = await testNode(t, member)
  await waitForPeer(target, restarted.peerId, 90_000)
  await waitForPeer(restarted, target.peerId, 30_000)
  assert.ok(warnings.some(line => line.includes('handshakes pending')), `warnings: ${JSON.stringify(warnings)}`)
  t.diagnostic(`${warnings.length} warnings, e.g. ${warnings[0]}`)
})
