// The frames that other folders handle, as types only: the generated codecs (wire.ts, workspace.ts,
// update.ts, presence.ts) are imported only inside core/protocol, whose handlers encode and decode.
// Elsewhere a frame is plain data of these shapes.

export type {
  /** /causette/msg/1.0.0 and carry: sealed bytes, and the author's PeerId when a colleague hands over what it carried. */
  Envelope,
  /** The answer to one envelope: its id once stored, or the code of its refusal. */
  Ack,
  /** A device record and its signature (/causette/record/1.0.0). */
  SignedRecord,
  /** Catch-up: what one side holds of an author's messages in a conversation (author '' in a 1:1 conversation). */
  ConversationHeads,
  /** A channel log's heads as one side holds them (/causette/channels/1.0.0). */
  ChannelTip,
  /** Entries of one channel's log that the other side lacks, or the code of a refusal. */
  ChannelEntries
} from './wire.js'

/** An answer on /causette/admission/1.0.0 (workspace-admission.ts): its kind and fields, or a refusal. */
export type { AdmissionFrame } from './workspace.js'
