// /causette/record/1.0.0: the listener answers with its signed device record. The dialer checks the
// signature and that the record's device key is the key of the peer it is connected to.
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { verifyDeviceRecord, type DeviceRecord } from '../../crypto/device-record.js'
import { equals } from '../../crypto/encoding.js'
import { CausetteError } from '../errors.js'
import { MAX_RECORD_BYTES, RECORD_PROTOCOL, RECORD_TIMEOUT_MS } from './limits.js'
import { SignedRecord } from './wire.js'

export async function serveRecord (stream: Stream, record: SignedRecord): Promise<void> {
  try {
    await pbStream(stream).write(record, SignedRecord)
    await stream.close()
  } catch (error) {
    stream.abort(error as Error)
  }
}

/**
 * Asks a connected peer for its record over one of the open connections (not a new dial: a peer
 * that only dialled us may have no address we could dial back).
 */
export async function fetchRecord (libp2p: Libp2p, peer: PeerId): Promise<DeviceRecord> {
  const signal = AbortSignal.timeout(RECORD_TIMEOUT_MS)
  const connection = libp2p.getConnections(peer).find(c => c.status === 'open')
  if (connection === undefined) throw new CausetteError('UNKNOWN_PEER', 'peer is not connected')
  const stream = await connection.newStream(RECORD_PROTOCOL, { signal })
  try {
    const signed = await pbStream(stream, { maxDataLength: MAX_RECORD_BYTES }).read(SignedRecord, { signal })
    await stream.close({ signal })
    let record: DeviceRecord
    try {
      record = verifyDeviceRecord(signed.record, signed.signature)
    } catch (error) {
      throw new CausetteError('BAD_DEVICE_RECORD', (error as Error).message)
    }
    if (peer.publicKey === undefined || !equals(record.device, peer.publicKey.raw)) {
      throw new CausetteError('BAD_DEVICE_RECORD', 'device record is for another device')
    }
    return record
  } catch (error) {
    stream.abort(error as Error)
    throw error
  }
}
