// End-to-end layer figures for `npm run bench`: encrypt + decrypt of a 100-byte message through
// the Double Ratchet, in one direction (one chain), alternating (a DH ratchet step per message),
// with the state stored as JSON after each message (what the node does), and session starts.
import { generateDeviceKeys, type DeviceKeys } from '../crypto/device-keys.js'
import { encryptMessage, localDevice, receiveMessage, startSession, type SessionRecord } from '../crypto/e2e/session.js'
import { sessionRecordFromJson, sessionRecordToJson } from '../crypto/e2e/state-json.js'
import type { RemoteDevice } from '../crypto/e2e/x3dh.js'
import { randomBytes } from '../crypto/random.js'
import { round } from './stats.js'

export interface E2eBenchOptions { messages?: number, log?: (line: string) => void }

export interface E2eBenchFigures {
  messageBytes: number
  /** encrypt + decrypt per second, one direction */
  oneWayPerSecond: number
  /** encrypt + decrypt per second, the direction changing every message */
  alternatingPerSecond: number
  /** one direction, the receiver's state through JSON.stringify and back after every message */
  oneWayWithJsonStatePerSecond: number
  /** X3DH start + first message encrypted and decrypted, per second */
  sessionStartsPerSecond: number
}

const MESSAGE_BYTES = 100

function remote (keys: DeviceKeys): RemoteDevice {
  return { device: keys.device.publicKey, identityKey: keys.identity.publicKey, prekeyId: keys.prekey.id, prekey: keys.prekey.publicKey }
}

interface Side { keys: DeviceKeys, record: SessionRecord | undefined }

function perSecond (count: number, run: () => void): number {
  const start = performance.now()
  run()
  return round(count / ((performance.now() - start) / 1000))
}

export async function benchE2e (opts: E2eBenchOptions = {}): Promise<E2eBenchFigures> {
  const messages = opts.messages ?? 20_000
  const log = opts.log ?? (() => {})
  const plaintext = randomBytes(MESSAGE_BYTES)

  const newPair = (): [Side, Side] => {
    const a: Side = { keys: generateDeviceKeys(), record: undefined }
    const b: Side = { keys: generateDeviceKeys(), record: undefined }
    a.record = startSession(localDevice(a.keys), remote(b.keys))
    return [a, b]
  }
  const send = (from: Side, to: Side, json = false): void => {
    const sent = encryptMessage(from.record!, plaintext)
    from.record = sent.nextRecord
    const { nextRecord } = receiveMessage(localDevice(to.keys), remote(from.keys), to.record, sent.message)
    to.record = json ? sessionRecordFromJson(JSON.parse(JSON.stringify(sessionRecordToJson(nextRecord)))) : nextRecord
  }

  const [a, b] = newPair()
  send(a, b)
  send(b, a) // both sides past the session start
  for (let i = 0; i < 1000; i++) send(a, b) // warm-up

  const oneWayPerSecond = perSecond(messages, () => { for (let i = 0; i < messages; i++) send(a, b) })
  log(`e2e: ${MESSAGE_BYTES}-byte message, encrypt + decrypt, one direction: ${oneWayPerSecond}/s`)
  const alternatingPerSecond = perSecond(messages / 4, () => { for (let i = 0; i < messages / 4; i++) i % 2 === 0 ? send(a, b) : send(b, a) })
  log(`e2e: alternating directions (a DH ratchet step per message): ${alternatingPerSecond}/s`)
  const oneWayWithJsonStatePerSecond = perSecond(messages / 4, () => { for (let i = 0; i < messages / 4; i++) send(a, b, true) })
  log(`e2e: one direction, state through JSON after each message: ${oneWayWithJsonStatePerSecond}/s`)
  const starts = Math.max(100, messages / 40)
  const sessionStartsPerSecond = perSecond(starts, () => { for (let i = 0; i < starts; i++) { const [x, y] = newPair(); send(x, y) } })
  log(`e2e: session starts (X3DH + first message, both sides, key generation included): ${sessionStartsPerSecond}/s`)
  return { messageBytes: MESSAGE_BYTES, oneWayPerSecond, alternatingPerSecond, oneWayWithJsonStatePerSecond, sessionStartsPerSecond }
}
