// The temporary host a join dials the inviting node with must stop, whatever the inviting node did to
// the connection: its stop waits for the connection to close, which an inviting node that dropped it
// mid-exchange never lets happen, and with nothing else alive the process then exited (code 13).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { stopHost } from '../../core/workspace/join.js'

test('a host whose connection never finishes closing is stopped by cutting that connection', { timeout: 60_000 }, async () => {
  let stopped = (): void => {}
  const cut: string[] = []
  // The real hang cannot be made on demand (it depends on where the other side dropped the connection): its shape is.
  const host = {
    stop: async () => { await new Promise<void>(resolve => { stopped = resolve }) },
    getConnections: () => [{ abort: (error: Error) => { cut.push(error.message); stopped() } }]
  } as unknown as Parameters<typeof stopHost>[0]
  await stopHost(host)
  assert.deepEqual(cut, ['the join is over'])
})

test('a host that stops by itself has nothing cut', async () => {
  const host = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  const listener = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  const connection = await host.dial(listener.getMultiaddrs()[0]!)
  let cut = false
  connection.abort = () => { cut = true }
  await stopHost(host)
  await listener.stop()
  assert.equal(cut, false)
  assert.equal(connection.status, 'closed')
})
