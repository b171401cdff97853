// ContactSync's record exchange between two libp2p hosts on loopback: a rename made while a greeting's
// exchange is under way reaches the colleague, who holds its answer back until the rename is made.
// The renaming side is a real ContactSync whose own record the test changes; the colleague a bare
// host that answers by hand, so that the test decides when its answer goes.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import type { Libp2p } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { MemoryLevel } from 'memory-level'
import { generateDeviceKeys } from '../../crypto/device-keys.js'
import { signDeviceRecord, verifyDeviceRecord } from '../../crypto/device-record.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { ContactBook } from '../../core/messaging/contact-book.js'
import { ContactSync } from '../../core/node/contact-sync.js'
import { RECORD_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { SignedRecord } from '../../core/protocol/wire.js'
import type { BatchOp } from '../../core/store/batch.js'
import type { Database } from '../../core/store/database.js'
import { bareNode } from './workspace-peer.js'

/** A libp2p host with device keys, and its device record signed under any name. */
async function desk (t: TestContext) {
  const keys = generateDeviceKeys()
  const libp2p = await bareNode(t, keys.device.seed)
  const record = (name: string): SignedRecord => {
    const { bytes, signature } = signDeviceRecord(ed25519Signer(keys.device.seed), {
      device: keys.device.publicKey,
      identityKey: keys.identity.publicKey,
      prekeyId: keys.prekey.id,
      prekey: keys.prekey.publicKey,
      name,
      color: '#123456',
      updated: Date.now()
    })
    return { record: bytes as Uint8Array<ArrayBuffer>, signature: signature as Uint8Array<ArrayBuffer> }
  }
  return { libp2p, record }
}

/** A ContactSync on `host` that sends whatever record `own` gives now; the store and journal do nothing. */
async function contactSync (host: Libp2p, own: () => SignedRecord): Promise<ContactSync<string>> {
  const contacts = await ContactBook.load({ contacts: new MemoryLevel({ valueEncoding: 'json' }) } as unknown as Database)
  return new ContactSync<string>({
    host,
    contacts,
    commit: { write: async () => {} },
    journal: { keyPinned: () => 'pinned', keyChanged: () => 'changed', keyAccepted: () => 'accepted' },
    forgetSession: () => ({}) as BatchOp,
    ownRecord: own,
    changed: () => {},
    log: () => {}
  })
}

test('a rename made while a greeting\'s record exchange is under way reaches the colleague', { timeout: 60_000 }, async (t) => {
  const renaming = await desk(t)
  const colleague = await desk(t)
  let own = renaming.record('Before')
  const sync = await contactSync(renaming.libp2p, () => own)

  // The colleague notes the name each exchange brings, and holds its answer to the first one back.
  const heard: string[] = []
  let firstArrived = (): void => {}
  const arrived = new Promise<void>(resolve => { firstArrived = resolve })
  let release = (): void => {}
  const released = new Promise<void>(resolve => { release = resolve })
  await colleague.libp2p.handle(RECORD_PROTOCOL, async (stream) => {
    const pb = pbStream(stream)
    const signed = await pb.read(SignedRecord)
    heard.push(verifyDeviceRecord(signed.record, signed.signature).name)
    if (heard.length === 1) { firstArrived(); await released }
    await pb.write(colleague.record('Colleague'), SignedRecord)
    await stream.close()
  })

  const greeting = sync.greet(await renaming.libp2p.dial(colleague.libp2p.getMultiaddrs()[0]!))
  await arrived
  own = renaming.record('After')
  const announced = sync.announce() // while the greeting's exchange, which sent "Before", waits
  release()
  assert.equal((await greeting)?.name, 'Colleague')
  await announced
  assert.deepEqual(heard, ['Before', 'After'], 'the colleague got the new name')

  // Callers that would send the same record still share one exchange.
  await Promise.all([sync.announce(), sync.announce()])
  assert.deepEqual(heard, ['Before', 'After', 'After'])
})
