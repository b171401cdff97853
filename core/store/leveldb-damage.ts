// What LevelDB says about damaged files. It opens a database whose write-ahead log is damaged
// without an error: it drops what it cannot read and only writes so into `db/LOG` ("000003.log:
// dropping 32768 bytes; Corruption: checksum mismatch"). And a damaged CURRENT or MANIFEST fails
// the open with a message that names no file. Both are turned here into words that name the file.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CausetteError, ProfileError } from '../errors.js'

/** `db/LOG` holds the messages of the last open; the one before is kept as `LOG.old`. */
export type InfoLog = 'LOG' | 'LOG.old'

const DAMAGE = /dropping \d+ bytes|corruption|checksum mismatch|missing files/i
/** "2026/12/04-22:13:06.123456 7f12ab0c1640 " */
const PREFIX = /^\d{4}\/\d{2}\/\d{2}-\d{2}:\d{2}:\d{2}\.\d+ [0-9a-f]+ /

/** The lines of LevelDB's info log that report data dropped or damaged, without time and thread. */
export async function damageReported (dbDir: string, log: InfoLog = 'LOG'): Promise<string[]> {
  let text: string
  try {
    text = await readFile(join(dbDir, log), 'utf8')
  } catch {
    return []
  }
  return text.split('\n').filter(line => DAMAGE.test(line)).map(line => line.replace(PREFIX, '').trim())
}

/**
 * True when the database has tables, logs or a manifest but no CURRENT. LevelDB would then create a
 * new, empty database there and delete the old files as obsolete: such a database must not be opened.
 */
export async function currentMissing (dbDir: string): Promise<boolean> {
  let names: string[]
  try {
    names = await readdir(dbDir)
  } catch {
    return false
  }
  return !names.includes('CURRENT') && names.some(name => /^MANIFEST-\d+$|\.(?:log|ldb|sst)$/.test(name))
}

const leveldbReason = (cause: unknown): string => String((cause as { cause?: Error }).cause?.message ?? (cause as Error).message ?? cause)

/**
 * A database LevelDB could not open for want of room or of file handles (at open it writes its log
 * out as a table): nothing in it is damaged, and a repair would only copy it onto the full disk.
 * STORAGE_UNAVAILABLE in words; undefined for any other failure.
 */
export function openBlocked (dbDir: string, cause: unknown): CausetteError | undefined {
  const reason = leveldbReason(cause)
  const what = /no space left|ENOSPC|disk quota/i.test(reason)
    ? 'the disk is full'
    : /too many open files|EMFILE|ENFILE/i.test(reason) ? 'this computer has run out of file handles' : undefined
  if (what === undefined) return undefined
  return new CausetteError('STORAGE_UNAVAILABLE', `${what}: the database (${dbDir}) cannot open until it can write again; nothing in it is lost. Free some space on this computer (or close some programs), then start causette again`, { cause })
}

/** Which file of a database that LevelDB refuses to open is damaged, in LevelDB's words too. */
export function openFailure (dbDir: string, cause: unknown): string {
  const reason = leveldbReason(cause)
  const file = /MANIFEST-\d+|\d+\.(?:log|ldb|sst)|CURRENT/.exec(reason)?.[0] ?? 'CURRENT'
  return `the database does not open: ${join(dbDir, file)} or a file it names is damaged (LevelDB: ${reason})`
}

/** The error for a database that LevelDB refuses to open: which file, and what to do. */
export function databaseDamaged (dbDir: string, cause: unknown): ProfileError {
  return new ProfileError('PROFILE_CORRUPT', `${openFailure(dbDir, cause)}. ` +
    "Stop the node, run 'causette doctor' to check the profile, then 'causette doctor --repair' to rebuild the database from what it still holds (a copy of the damaged one is kept)", { cause })
}
