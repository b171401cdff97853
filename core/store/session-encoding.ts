// How an end-to-end session record is stored: the strict JSON form of crypto/e2e, produced when the
// batch is written (so a record updated by many messages of one batch is serialised once).
import { sessionRecordFromJson, sessionRecordToJson, type SessionRecord } from '../../crypto/e2e/index.js'

export const sessionRecordEncoding = {
  name: 'causette-session-record',
  format: 'utf8' as const,
  encode: (record: SessionRecord): string => JSON.stringify(sessionRecordToJson(record)),
  decode: (text: string): SessionRecord => sessionRecordFromJson(JSON.parse(text))
}
