// Every bound the wire protocols enforce, in one place.
export const MESSAGE_PROTOCOL = '/causette/msg/1.0.0'
export const RECORD_PROTOCOL = '/causette/record/1.0.0'

/** Largest message text, in UTF-8 bytes. */
export const MAX_BODY_BYTES = 64 * 1024
/** Largest envelope frame: body, statement (grows with recipients), signature and salt. */
export const MAX_ENVELOPE_BYTES = MAX_BODY_BYTES + 16 * 1024
export const MAX_ACK_BYTES = 1024
export const MAX_RECORD_BYTES = 4096
/** Envelopes read but not yet acknowledged on one stream: reading pauses beyond this. */
export const MAX_IN_FLIGHT_PER_STREAM = 256
/** Concurrent message streams a peer may open to us on one connection. */
export const MAX_MESSAGE_STREAMS_PER_CONNECTION = 4
export const RECORD_TIMEOUT_MS = 5_000
/** An outbound message stream with nothing to send is closed after this. */
export const IDLE_STREAM_MS = 60_000
