// A 1:1 message filed under a conversation not its own (docs/log-format.md §5, step 9). Before
// session 27 a node filed a colleague's 1:1 message into whatever conversation its statement named:
// another colleague's conversation with us, or a made-up id. Its journal recorded the message as it
// came, signed by that colleague, so such an entry is a finding (a warning), never a failure: a
// colleague must not be able to make an honest node's export fail.
//
// A statement with one recipient that is not its author is a 1:1 message's, or a channel message
// read by one member; its conversation tells them apart. Only at the end of the file is it known
// which conversations are channels (their `channel-entry` leaves) and, in a subset, which are 1:1
// ones (a message naming its own conversation): a subset may leave a channel's entries out, so there
// a message is reported only when its conversation is shown to be another pair's. Memory: one id
// per channel and per 1:1 conversation in the file, and per conversation such a message named (with
// at most MAX_FINDINGS findings each).
import { fromBase64, toBase64 } from '../encoding.js'
import type { Statement } from '../statement.js'
import { channelConversationId, directConversationIdWith } from './conversation-ids.js'
import type { Scope } from './export-format.js'
import { ed25519PeerId } from './peer-id.js'
import { MAX_FINDINGS } from './seq-findings.js'

export interface ConversationFinding {
  entry: number
  line: number
  /** base64 device keys, as in the statement */
  author: string
  recipient: string
  /** the conversation the statement names */
  conversation: string
  /** the 1:1 conversation of the author and the recipient */
  own: string
}

/** The messages of one conversation not their own: how many, and the first MAX_FINDINGS. */
interface Misfiled { total: number, first: ConversationFinding[] }

export class ConversationFindings {
  readonly #sha256: (input: Uint8Array) => Uint8Array
  readonly #channels = new Set<string>()
  readonly #direct = new Set<string>()
  readonly #misfiled = new Map<string, Misfiled>()

  constructor (sha256: (input: Uint8Array) => Uint8Array) {
    this.#sha256 = sha256
  }

  /** A `channel-entry` leaf's channel: its messages name its conversation. */
  channel (channelId: string): void {
    this.#channels.add(channelConversationId(channelId))
  }

  see (statement: Statement, entry: number, line: number): void {
    if (statement.recipients.length !== 1) return
    const [recipient] = statement.recipients as [Uint8Array]
    const author = toBase64(statement.author)
    if (toBase64(recipient) === author) return // a channel of one names its author
    const own = directConversationIdWith(this.#sha256, statement.author, recipient)
    if (statement.conversation === own) {
      this.#direct.add(own)
      return
    }
    const misfiled = this.#misfiled.get(statement.conversation) ?? { total: 0, first: [] }
    misfiled.total++
    if (misfiled.first.length < MAX_FINDINGS) misfiled.first.push({ entry, line, author, recipient: toBase64(recipient), conversation: statement.conversation, own })
    this.#misfiled.set(statement.conversation, misfiled)
  }

  /** The findings, in file order (the first MAX_FINDINGS), and their total. */
  result (scope: Scope): { findings: ConversationFinding[], total: number } {
    const kept = [...this.#misfiled].filter(([conversation]) => !this.#channels.has(conversation) && (scope === 'full' || this.#direct.has(conversation)))
    const findings = kept.flatMap(([, misfiled]) => misfiled.first).sort((a, b) => a.entry - b.entry).slice(0, MAX_FINDINGS)
    return { findings, total: kept.reduce((sum, [, misfiled]) => sum + misfiled.total, 0) }
  }
}

/** Author and recipient by PeerId, as the entries' `peer` and the verifier page's message list name them. */
export function describeConversationFinding (f: ConversationFinding): string {
  const peer = (key: string): string => ed25519PeerId(fromBase64(key))
  return `entry ${f.entry} (line ${f.line}): a 1:1 message from ${peer(f.author)} to ${peer(f.recipient)} is filed in conversation ${f.conversation}, not in theirs (${f.own})`
}
