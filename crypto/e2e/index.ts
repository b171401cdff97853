// The end-to-end layer as the node uses it (see README.md): sessions, their stored form, the signed
// inner payload, limits and error codes. The modules behind it stay importable for tests and tools.
export { E2E_ERROR_CODES, E2eError, type E2eErrorCode } from './errors.js'
export { decodePayload, decodeReceiptPayload, DEFAULT_MAX_BODY_BYTES, encodePayload, encodeReceiptPayload, MAX_RECEIPT_BYTES, MAX_STATEMENT_BYTES, openPayload, payloadKind, signPayload, type InnerPayload, type ReceiptPayload } from './payload.js'
export { DEFAULT_RATCHET_LIMITS, type RatchetLimits } from './ratchet.js'
export { encryptMessage, forgetSkippedKeys, localDevice, MAX_PREVIOUS_SESSIONS, receiveMessage, restoreKey, startSession, type Received, type SessionRecord, type SpentKey } from './session.js'
export { sessionRecordFromJson, sessionRecordToJson, type SessionRecordJson } from './state-json.js'
export { MAX_RATCHET_MESSAGE_BYTES } from './wire.js'
export type { LocalDevice, RemoteDevice } from './x3dh.js'
