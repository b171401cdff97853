// The profile's one LevelDB database and its sub-databases (DESIGN.md §9). Multi-key changes are
// always one batch across these sub-databases.
import { Level } from 'level'
import { join } from 'node:path'
import { CausetteError } from '../errors.js'
import type { ContactRecord, ConversationRecord, MessageRecord, OutboxValue } from './records.js'
import { sessionRecordEncoding } from './session-encoding.js'

type Root = Level<string, string>

export interface Database {
  root: Root
  contacts: Sub<ContactRecord>
  conversations: Sub<ConversationRecord>
  messages: Sub<MessageRecord>
  /** message id → message key, for deduplication and state updates */
  messageIndex: Sub<string>
  /** outbox key → the message id and its end-to-end ciphertext */
  outbox: Sub<OutboxValue>
  /** peer PeerId → end-to-end session record */
  sessions: ReturnType<typeof sessionSublevel>
  /** owned by core/journal */
  journal: ReturnType<typeof plainSublevel>
  /** owned by core/workspace: the membership log */
  membership: ReturnType<typeof plainSublevel>
  /** small facts about the other sub-databases (e.g. how far the membership log is journaled) */
  meta: Sub<unknown>
  close: () => Promise<void>
}

type Sub<V> = ReturnType<typeof jsonSublevel<V>>

function sessionSublevel (root: Root) {
  return root.sublevel('sessions', { keyEncoding: 'utf8', valueEncoding: sessionRecordEncoding })
}

function plainSublevel (root: Root, name: string) {
  return root.sublevel(name)
}

function jsonSublevel<V> (root: Root, name: string) {
  return root.sublevel<string, V>(name, { keyEncoding: 'utf8', valueEncoding: 'json' })
}

export async function openDatabase (home: string): Promise<Database> {
  const root: Root = new Level<string, string>(join(home, 'db'))
  try {
    await root.open()
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') {
      throw new CausetteError('PROFILE_LOCKED', `another causette node is running on ${home}`, { cause: error })
    }
    throw error
  }
  return {
    root,
    contacts: jsonSublevel<ContactRecord>(root, 'contacts'),
    conversations: jsonSublevel<ConversationRecord>(root, 'conversations'),
    messages: jsonSublevel<MessageRecord>(root, 'messages'),
    messageIndex: jsonSublevel<string>(root, 'message-index'),
    outbox: jsonSublevel<OutboxValue>(root, 'outbox'),
    sessions: sessionSublevel(root),
    journal: plainSublevel(root, 'journal'),
    membership: plainSublevel(root, 'membership'),
    meta: jsonSublevel<unknown>(root, 'meta'),
    close: async () => { await root.close() }
  }
}
