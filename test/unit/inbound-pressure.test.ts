// Admission before the handshake (core/protocol/inbound-pressure.ts): unknown addresses share the
// pending slots, known peers' addresses keep a reserve, and a refusal is reported, not too often.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import type { MultiaddrConnection } from '@libp2p/interface'
import { InboundPressure, WARN_EVERY_MS } from '../../core/protocol/inbound-pressure.js'

function connection (host: string): MultiaddrConnection & { close: () => void } {
  const listeners: Array<() => void> = []
  return {
    remoteAddr: multiaddr(`/ip4/${host}/tcp/40000`),
    addEventListener: (_event: string, listener: () => void) => { listeners.push(listener) },
    close: () => { for (const listener of listeners) listener() }
  } as unknown as MultiaddrConnection & { close: () => void }
}

test('a flood from unknown addresses fills its own slots only; a known peer\'s address still gets in', () => {
  const time = { ms: 0 }
  const pressure = new InboundPressure({ maxPending: 4, reservedForKnown: 2 }, () => time.ms)
  const warnings: string[] = []
  pressure.onFlood(message => { warnings.push(message) })

  const member = connection('10.0.0.7')
  assert.equal(pressure.admit(member), true)
  pressure.peerAdmitted(member) // its handshake finished: 10.0.0.7 is a known peer's address

  const flood = Array.from({ length: 4 }, (_, i) => connection(`10.0.0.${100 + i}`))
  for (const stalled of flood) assert.equal(pressure.admit(stalled), true)
  assert.equal(pressure.admit(connection('10.0.0.200')), false, 'unknown addresses share four slots')
  assert.equal(pressure.admit(connection('10.0.0.201')), false)
  assert.equal(warnings.length, 1, 'one warning, not one per refusal')
  assert.match(warnings[0]!, /4 handshakes pending from 4 addresses.*1 refused/)

  const restarted = [connection('10.0.0.7'), connection('10.0.0.7')]
  for (const again of restarted) assert.equal(pressure.admit(again), true, 'the member, restarted, comes back through the reserve')
  assert.equal(pressure.admit(connection('10.0.0.7')), false, 'the reserve is bounded too')
  for (const again of restarted) pressure.peerAdmitted(again)

  flood[0]!.close() // a stalled connection timed out: its slot is free again
  assert.equal(pressure.admit(connection('10.0.0.202')), true)
  time.ms += WARN_EVERY_MS
  assert.equal(pressure.admit(connection('10.0.0.203')), false)
  assert.equal(warnings.length, 2)
  assert.equal(pressure.counts.floodWarnings, 2)
})
