// Every bound the wire protocols enforce, in one place (their ids: protocol-ids.ts).
import { MAX_CHUNK_COUNT, MAX_CIPHERTEXT_CHUNK_BYTES } from '../../crypto/file-cipher.js'

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
/** Peer exchange (peer-exchange.ts): members in one list, at most; an office is a few hundred desks. */
export const MAX_EXCHANGED_PEERS = 256
/** Addresses of one member in a list: a desk's wired and wireless ones, IPv4 and IPv6. */
export const MAX_EXCHANGED_ADDRESSES = 4
/** A list's frame: per member a PeerId's text (53 bytes) and four binary TCP multiaddrs (at most 21 bytes each), with protobuf's tags and lengths. */
export const MAX_PEER_LIST_BYTES = MAX_EXCHANGED_PEERS * 160
export const PEERS_TIMEOUT_MS = 5_000
/** An outbound message stream with nothing to send is closed after this. */
export const IDLE_STREAM_MS = 60_000

// Abuse limits, per peer (docs/SECURITY.md, "Abuse limits"): far above what a node sends, far below
// what a flood sends. A peer over a rate waits (we stop reading it); one that keeps earning refusals
// is cut off for a cool-down.
/** Inbound streams a peer may open per second on one protocol: a node opens a few per connection. */
export const STREAMS_PER_SECOND = 10
/** Streams at once after a quiet spell: a reconnect opens one per protocol, a restart storm a few more. */
export const STREAM_BURST = 50
/** Messages a peer may send per second: twice issue #2's 10,000/s target (bench: ~5,000/s), so only a flood waits. */
export const MESSAGES_PER_SECOND = 20_000
/** Messages read at once before the rate applies: an outbox flush of that many goes through unslowed. */
export const MESSAGE_BURST = 2_000
/** Messages of one peer read and not yet stored, across its streams and connections: what it can queue ahead of everyone else. */
export const MAX_PENDING_MESSAGES_PER_PEER = 512
/** Connections one peer may hold with us: two when both dial at once, and room for a reconnect. */
export const MAX_CONNECTIONS_PER_PEER = 4
/** Refusals (streams, connections, undecodable frames) a peer may earn at once before it is cut off. */
export const STRIKE_BURST = 20
/** ...and per second after: a buggy peer that errs now and then is never cut off. */
export const STRIKES_PER_SECOND = 1
/** Inbound handshakes pending at once from addresses where no admitted peer was seen (a flood fills these). */
export const MAX_PENDING_HANDSHAKES = 64
/** ...and on top, from addresses known peers connected from: a flood from elsewhere cannot take them. */
export const HANDSHAKES_RESERVED_FOR_KNOWN = 32
/** How long a cut-off peer is refused, both ways: long enough to make flooding pointless. */
export const COOL_DOWN_MS = 60_000
/** Bytes of one stream received and not yet read: beyond, we stop reading it (twice that must exceed a frame). */
export const MAX_UNREAD_BYTES_PER_STREAM = 1024 * 1024
/**
 * Inbound streams negotiating their protocol at once from one peer, over all its connections
 * (negotiation-limit.ts): each may hold 4 MiB in libp2p's negotiation reader for up to 5 s,
 * uncounted by the unread budget, so this bounds that to 128 MiB a peer; each stream refused beyond
 * is a strike. A node opens a few streams on a connection at once: at
 * most 6 were negotiating together across the integration tests (messaging, catch-up, channels,
 * files, carrying, updates, workspace admission), and one stream of every protocol it speaks is 17.
 * Four times 6 would do, but 32 also leaves room for the densest burst in the tests, 20 streams of a
 * test protocol opened together.
 */
export const MAX_NEGOTIATING_STREAMS = 32
/** What a sender may have in flight on one stream (yamux grows it to 16 MiB by default, past the 4 MiB a paused stream may hold). */
export const MAX_STREAM_WINDOW_BYTES = 1024 * 1024

/**
 * Edits, retractions and reactions one author may send of one message (core/messaging/amendment-budget.ts).
 * Each is a message of its own, and each one stored has the node read every amendment of its
 * message again to show it: a member's 1,500 reactions to one message took 22 ms of a colleague's
 * CPU each, and more with every one. A person's reactions (each emoji on and off) and edits of one
 * message are a handful.
 */
export const MAX_AMENDMENTS_PER_AUTHOR = 64

// Store-and-forward (core/messaging/carrier.ts, core/protocol/carry-protocol.ts).
/** Attachment ids one deposit names: a message's files (at most 10) and their previews. */
export const MAX_CARRY_FILES = 20
/** Carried files one author may have us fetch and not yet hold: more it names are not carried. */
export const MAX_CARRIED_PENDING_PER_AUTHOR = 100
/**
 * Files of one author's messages we have yet to fetch (waiting for a holder, fetching, paused): past
 * them a new one is recorded cancelled (FILE_TOO_MANY_WAITING), fetched when the user asks. Each is
 * tried again every 30 s and at every connection, asking every member: a member's 1,000 messages
 * naming 20,000 made-up files kept a colleague from fetching any real file for over 20 minutes.
 * 250 photos sent with their previews, the sender gone before they came, stay within.
 */
export const MAX_UNFETCHED_FILES_PER_AUTHOR = 512
/** The part of a carrier's file limit one author's carried files may take: one colleague cannot push out everyone else's. */
export const CARRIED_FILES_SHARE_PER_AUTHOR = 1 / 4
/** An attachment id as a deposit names it (the descriptor's chunksSha256 in hex), with its field's tag and length. */
const CARRY_FILE_ID_FIELD_BYTES = 64 + 2
/** A deposit is one envelope's ciphertext, a PeerId and the attachment ids of its message. */
export const MAX_CARRY_DEPOSIT_BYTES = MAX_ENVELOPE_BYTES + 256 + MAX_CARRY_FILES * CARRY_FILE_ID_FIELD_BYTES
export const MAX_CARRY_ACK_BYTES = 1024
/** What one author may have us hold at once: a busy day's messages for absent colleagues. */
export const CARRY_QUOTA_PER_AUTHOR = { items: 5_000, bytes: 32 * 1024 * 1024 }
/** What we hold for everyone together: bounded disk use on a colleague's desk. */
export const CARRY_QUOTA_TOTAL = { items: 50_000, bytes: 256 * 1024 * 1024 }
/** Held ciphertext is dropped after this: a colleague back after a month gets the rest from its author. */
export const CARRY_TTL_MS = 14 * 24 * 3_600_000
/** How often held items are checked for expiry. */
export const CARRY_SWEEP_MS = 3_600_000
/** A message waiting for an absent peer is given to at most this many carriers. */
export const MAX_CARRIERS = 2

// Catch-up sync (core/messaging/catch-up.ts, core/protocol/sync-protocol.ts).
/** Conversations named in one request: more than two colleagues ever share. */
export const MAX_SYNC_CONVERSATIONS = 4096
/** Seqs held above the contiguous head, per conversation: gaps beyond this are fetched in later rounds. */
export const MAX_SYNC_SEQS_ABOVE = 1024
export const MAX_SYNC_REQUEST_BYTES = 256 * 1024
export const MAX_SYNC_ANSWER_BYTES = 1024
export const SYNC_TIMEOUT_MS = 10_000
/** One catch-up answer per peer this often at most (sync-pace.ts): a node asks once per connection; one sooner waits, within SYNC_TIMEOUT_MS. */
export const SYNC_INTERVAL_MS = 5_000

// Channels (core/channels, docs/channels.md).
/** Heads a channel message or a tip names: a log's heads are its concurrent branches, a handful. */
export const MAX_CHANNEL_HEADS = 64
/** Channels one tips frame names. */
export const MAX_CHANNELS_PER_PEER = 1024
/** Entries in one frame (each at most 4,096 bytes), and frames one side sends in one exchange. */
export const MAX_CHANNEL_ENTRIES_PER_FRAME = 128
export const MAX_CHANNEL_FRAMES = 4096
export const MAX_CHANNEL_FRAME_BYTES = MAX_CHANNEL_ENTRIES_PER_FRAME * 4200 + 1024
export const MAX_CHANNEL_TIPS_BYTES = MAX_CHANNELS_PER_PEER * (MAX_CHANNEL_HEADS * 34 + 64)
export const CHANNEL_EXCHANGE_TIMEOUT_MS = 20_000
/** Group messages parked for a sender key or a log that has not arrived, per channel; the oldest go first. */
export const MAX_PARKED_PER_CHANNEL = 2_000
/**
 * Group messages parked that one peer handed us, across channels: the channel id is the sender's
 * choice, so the bound per channel alone let a member fill our disk with messages nobody can read.
 * As much as a carrier keeps for one author (CARRY_QUOTA_PER_AUTHOR).
 */
export const MAX_PARKED_PER_PEER = { messages: 4_000, bytes: 32 * 1024 * 1024 }
/** Group messages parked from everyone together: what parking may take of the disk at most. */
export const MAX_PARKED_TOTAL = { messages: 32_000, bytes: 256 * 1024 * 1024 }
/**
 * Sender keys one member may give us for channels we hold no log of (it arrives after the key, or
 * never): each is kept in memory and on disk for good, so without a bound a member could grow both
 * without end by naming a new channel in each distribution.
 */
export const MAX_UNHELD_SENDER_KEYS_PER_PEER = 256
/**
 * Fresh sender key chains a member of a channel whose log we hold may have handed us that carried no
 * message here yet; the next waits (SENDER_KEY_TOO_SOON, tried again by its sender) until one has. An
 * honest member starts a chain only to send on it (docs/channels.md §3), so its chains carry messages;
 * each fresh chain is journaled, and the journal is never trimmed (session 30, red team).
 */
export const MAX_UNUSED_SENDER_CHAINS = 3
/**
 * Channels one member created that we hold (its open channels, announced to every desk, and those it
 * invites us to): each is kept, replicated and listed for good, and a member could create thousands
 * in seconds. A person creates a few dozen in years.
 */
export const MAX_CHANNELS_PER_CREATOR = 256
/**
 * Entries of the channel logs we hold that one device signed, in one channel and in all: each is
 * kept in memory and on disk for good, journaled, replicated and folded at every change, and a
 * member of an open channel may sign as many as it likes. A person's joins, leaves, invites (a few
 * hundred desks to an office) and topics stay far below.
 */
export const MAX_CHANNEL_ENTRIES_PER_SIGNER = { perChannel: 1_024, inAll: 16_384 }
/** A change is pushed to the members this long after it, so that changes made together share one exchange. */
export const CHANNEL_PUSH_DELAY_MS = 25

// Updates (core/update, core/protocol/update-protocol.ts).
/** A release file travels in chunks of this size (the last one shorter), each proven by the signed manifest's chunk root. */
export const UPDATE_CHUNK_BYTES = 256 * 1024
/** An announce: a signed manifest (at most 16 KiB), five target names and a signed pause decision. */
export const MAX_UPDATE_REQUEST_BYTES = 24 * 1024
/** A chunk frame: the chunk, its proof (at most 32 hashes: 2^32 chunks) and an error code. */
export const MAX_UPDATE_CHUNK_FRAME_BYTES = UPDATE_CHUNK_BYTES + 32 * 34 + 1024
/** Chunks of one file per proof list: 512 MiB at most (MAX_RELEASE_FILE_BYTES). */
export const MAX_UPDATE_PROOF_HASHES = 32
/** An announce exchange, and the wait for any one chunk: a stalled colleague is left for another. */
export const UPDATE_TIMEOUT_MS = 20_000

// Photos (core/protocol/photo-protocol.ts, core/profile/peer-photos.ts).
/** A photo's answer: the photo (64 KiB at most, core/profile/photo.ts PHOTO_MAX_BYTES), its type and an error code. */
export const MAX_PHOTO_FRAME_BYTES = 64 * 1024 + 512
/** A photo's request: one SHA-256. */
export const MAX_PHOTO_REQUEST_BYTES = 64
/** One photo's exchange, open to close: a colleague that does not answer in time is asked again at its next presence. */
export const PHOTO_TIMEOUT_MS = 10_000

// File transfer (core/protocol/file-protocol.ts, core/files/fetcher.ts, docs/files.md "Transfer").
/** Largest ciphertext chunk a chunk list may announce: the largest a file may be sealed in (4 MiB and a tag). */
export const MAX_FILE_CHUNK_BYTES = MAX_CIPHERTEXT_CHUNK_BYTES
/** Chunks one file may have; its chunk list, 36 bytes a chunk, is 36 MiB at most. */
export const MAX_FILE_CHUNKS = MAX_CHUNK_COUNT
/** Chunk list entries in one page frame (144 KiB). */
export const FILE_LIST_ENTRIES_PER_PAGE = 4096
/** A file id: an attachment id in text (a hex or base64url SHA-256 and a little more). */
export const MAX_FILE_ID_CHARS = 128
/** A request or a grant of more chunks: a file id and three numbers. */
export const MAX_FILE_REQUEST_BYTES = MAX_FILE_ID_CHARS * 4 + 64
/** A frame of the holder: a chunk, a page of the chunk list, or a refusal. */
export const MAX_FILE_FRAME_BYTES = Math.max(MAX_FILE_CHUNK_BYTES, FILE_LIST_ENTRIES_PER_PAGE * 36) + 1024
/**
 * Chunks a requester keeps asked for and not received: memory stays flat (32 x 256 KiB in flight)
 * whatever the size. A smaller window leaves the holder waiting for grants, sending in smaller
 * pieces: 8 cost the holder a quarter more CPU a MiB than 32 (docs/files.md, "Speed").
 */
export const FILE_WINDOW_CHUNKS = 32
/** Chunks asked with a file's chunk list, on the same stream, before the list is known: a small file whole, a big one's start. */
export const FILE_FIRST_WINDOW_CHUNKS = 8
/** Most chunks a requester may have asked for and not received; more is refused (TRANSFER_WINDOW_EXCEEDED). */
export const MAX_FILE_WINDOW_CHUNKS = 64
/** The wait for any one frame of a holder (a chunk, a page), or for a requester's next grant: a stalled side is let go. */
export const FILE_IDLE_MS = 20_000
