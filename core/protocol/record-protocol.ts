// /causette/record/1.0.0: two connected peers exchange their signed device records. The dialer
// writes its record, the listener answers with its own; each side checks the signature and that the
// record's device key is the key of the peer at the other end of the connection. A node whose
// record changed (a new name) runs the exchange again with every connected peer.
import type { Connection, Stream } from '@libp2p/interface'
import { verifyDeviceRecord, type DeviceRecord } from '../../crypto/device-record.js'
import { equals } from '../../crypto/encoding.js'
import { CausetteError } from '../errors.js'
import { MAX_RECORD_BYTES, RECORD_TIMEOUT_MS } from './limits.js'
import { RECORD_PROTOCOL } from './protocol-ids.js'
import { SignedRecord } from './wire.js'
import { framedStream } from './framed-stream.js'
import { readFrame } from './read-frame.js'
import { strikeIfFrameFault } from './stream-limiter.js'
import { ask } from './ask.js'

function checkRecord (signed: SignedRecord, connection: Connection): DeviceRecord {
  let record: DeviceRecord
  try {
    record = verifyDeviceRecord(signed.record, signed.signature)
  } catch (error) {
    throw new CausetteError('BAD_DEVICE_RECORD', (error as Error).message)
  }
  const key = connection.remotePeer.publicKey?.raw
  if (key === undefined || !equals(record.device, key)) throw new CausetteError('BAD_DEVICE_RECORD', 'device record is for another device')
  return record
}

/** Listener side: reads the dialer's record, answers with ours, then hands theirs on. */
export async function answerRecordExchange (stream: Stream, connection: Connection, own: SignedRecord, received: (record: DeviceRecord) => void): Promise<void> {
  const signal = AbortSignal.timeout(RECORD_TIMEOUT_MS)
  try {
    const pb = framedStream(stream, MAX_RECORD_BYTES)
    // A bad frame is a strike against the peer; a stream that failed is none (stream-limiter.ts).
    const signed = await readFrame(pb, SignedRecord, 'device record', { signal }).catch(error => { strikeIfFrameFault(stream, error); throw error })
    const record = checkRecord(signed, connection)
    await pb.write(own, SignedRecord, { signal })
    await stream.close({ signal })
    received(record)
  } catch (error) {
    stream.abort(error as Error)
  }
}

/** Dialer side, over an open connection (a peer that only dialled us may have no address to dial back). */
export async function exchangeRecords (connection: Connection, own: SignedRecord): Promise<DeviceRecord> {
  return await ask(connection, RECORD_PROTOCOL, { timeoutMs: RECORD_TIMEOUT_MS, maxFrameBytes: MAX_RECORD_BYTES }, async (pb, signal) => {
    await pb.write(own, SignedRecord, { signal })
    return checkRecord(await pb.read(SignedRecord, { signal }), connection)
  })
}
