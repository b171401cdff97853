// `causette doctor`: checks a stopped node's profile file by file (master key, keystore, settings,
// database, journal) and says what is wrong and what to do, without creating or rotating anything.
// Where LevelDB can repair (a damaged CURRENT or MANIFEST, lost tables), `repairDatabase` keeps a copy
// of the damaged database and runs LevelDB's own repair.
import { existsSync } from 'node:fs'
import { cp } from 'node:fs/promises'
import { join } from 'node:path'
import { Level } from 'level'
import type { DeviceKeys } from '../../crypto/device-keys.js'
import { isEntryKind } from '../../crypto/log/entry-kinds.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { hashLeaf, MerkleAccumulator } from '../../crypto/merkle.js'
import { equals, fromUtf8 } from '../../crypto/encoding.js'
import { CausetteError, isCausetteError, ProfileError } from '../errors.js'
import { Journal, journalOrigin } from '../journal/journal.js'
import { nodeLogPrimitives } from '../journal/primitives.js'
import { readDeviceKeys, KEYSTORE_FILE } from '../profile/keystore.js'
import { MASTER_KEY_FILE, readMasterKeyState, unlockMasterKey, type PassphraseSource } from '../profile/master-key.js'
import { readStoredSettings, SETTINGS_FILE } from '../profile/settings.js'
import { openDatabase, type Database } from '../store/database.js'
import { damageReported, openFailure } from '../store/leveldb-damage.js'

export type CheckName = 'master key' | 'keystore' | 'settings' | 'database' | 'journal'

export interface Finding {
  check: CheckName
  status: 'ok' | 'problem' | 'skipped'
  detail: string
  /** What to do about a problem. */
  fix?: string
}

export interface DoctorReport {
  findings: Finding[]
  /** The database does not open: `causette doctor --repair` may rebuild it. */
  repairable: boolean
}

const REPAIR_FIX = "stop the node and run 'causette doctor --repair': it keeps a copy of the damaged database, then rebuilds it from the tables and logs it still holds"

/** Checks the profile at `home`; refuses (PROFILE_LOCKED) while a node runs on it. */
export async function examineProfile (home: string, passphrase?: PassphraseSource): Promise<DoctorReport> {
  const findings: Finding[] = []
  const masterKey = await checkMasterKey(home, passphrase, findings)
  const keys = await checkKeystore(home, masterKey, findings)
  findings.push(await checkSettings(home))
  const db = await checkDatabase(home, findings)
  if (db !== undefined) {
    try {
      findings.push(keys === undefined ? skipped('journal', 'needs the device keys (see above)') : await checkJournal(db, keys))
    } finally {
      await db.close()
    }
  }
  return { findings, repairable: findings.some(f => f.check === 'database' && f.status === 'problem' && f.fix === REPAIR_FIX) }
}

/** Copies the damaged database next to it, then lets LevelDB rebuild it. Resolves to the copy's path. */
export async function repairDatabase (home: string, now = new Date()): Promise<string> {
  const dir = join(home, 'db')
  const copy = join(home, `db.damaged-${now.toISOString().replace(/[:.]/g, '-')}`)
  await cp(dir, copy, { recursive: true, errorOnExist: true, force: false })
  // `level` is classic-level in Node, which has LevelDB's RepairDB (its typings cover the browser too).
  await (Level as unknown as { repair: (location: string) => Promise<void> }).repair(dir)
  return copy
}

const ok = (check: CheckName, detail: string): Finding => ({ check, status: 'ok', detail })
const skipped = (check: CheckName, detail: string): Finding => ({ check, status: 'skipped', detail })
const problem = (check: CheckName, detail: string, fix: string): Finding => ({ check, status: 'problem', detail, fix })

async function checkMasterKey (home: string, passphrase: PassphraseSource | undefined, findings: Finding[]): Promise<Uint8Array | undefined> {
  try {
    const state = await readMasterKeyState(home)
    if (state.kind === 'none') {
      findings.push(ok('master key', `no ${MASTER_KEY_FILE} yet: the first start creates it`))
      return undefined
    }
    const key = await unlockMasterKey(state, passphrase)
    findings.push(ok('master key', state.kind === 'plain' ? `${MASTER_KEY_FILE} reads (no passphrase)` : `${MASTER_KEY_FILE} unlocks with the passphrase`))
    return key
  } catch (error) {
    if (error instanceof ProfileError && error.code === 'PASSPHRASE_REQUIRED') {
      findings.push(skipped('master key', `protected by a passphrase: give it (CAUSETTE_PASSPHRASE or --passphrase-stdin) to check the keystore and the journal too`))
      return undefined
    }
    if (error instanceof ProfileError && error.code === 'PASSPHRASE_WRONG') {
      findings.push(problem('master key', 'the passphrase does not unlock the master key', 'give the right passphrase; a forgotten one cannot be recovered'))
      return undefined
    }
    findings.push(problem('master key', messageOf(error), `restore ${join(home, MASTER_KEY_FILE)} from a backup`))
    return undefined
  }
}

async function checkKeystore (home: string, masterKey: Uint8Array | undefined, findings: Finding[]): Promise<DeviceKeys | undefined> {
  if (masterKey === undefined) {
    findings.push(skipped('keystore', 'needs the master key'))
    return undefined
  }
  try {
    const keys = await readDeviceKeys(home, masterKey)
    findings.push(keys === undefined ? ok('keystore', `no ${KEYSTORE_FILE} yet: the first start creates it`) : ok('keystore', `${KEYSTORE_FILE} opens: device ${ed25519PeerId(keys.device.publicKey)}`))
    return keys
  } catch (error) {
    findings.push(problem('keystore', messageOf(error), `restore ${join(home, KEYSTORE_FILE)} (and ${MASTER_KEY_FILE} with it) from a backup`))
    return undefined
  }
}

async function checkSettings (home: string): Promise<Finding> {
  try {
    const stored = await readStoredSettings(home)
    return ok('settings', stored === undefined ? `no ${SETTINGS_FILE}: the defaults apply` : `${SETTINGS_FILE} reads`)
  } catch (error) {
    return problem('settings', messageOf(error), `correct ${join(home, SETTINGS_FILE)}, or delete it to start with the default settings`)
  }
}

/** Opens the database (as a start would) and reports what LevelDB dropped, at the node's last open and now. */
async function checkDatabase (home: string, findings: Finding[]): Promise<Database | undefined> {
  if (!existsSync(join(home, 'db'))) {
    findings.push(ok('database', 'none yet: the first start creates it'))
    return undefined
  }
  const atLastStart = await damageReported(join(home, 'db'))
  let db: Database
  try {
    db = await openDatabase(home)
  } catch (error) {
    if (isCausetteError(error, 'PROFILE_LOCKED')) throw new CausetteError('PROFILE_LOCKED', 'a causette node is running on this profile: stop it first, then run causette doctor', { cause: error })
    if (isCausetteError(error, 'STORAGE_UNAVAILABLE')) {
      findings.push(problem('database', error.message, 'nothing to mend in the profile: once there is room again, run causette doctor again to check the rest'))
      return undefined
    }
    findings.push(problem('database', error instanceof ProfileError ? openFailure(join(home, 'db'), error.cause) : messageOf(error), REPAIR_FIX))
    return undefined
  }
  const dropped = [...new Set([...atLastStart, ...db.damage])]
  findings.push(dropped.length === 0
    ? ok('database', 'opens; LevelDB reported no damaged file')
    : problem('database', `LevelDB found damaged files and dropped what it could not read: ${dropped.join('; ')}`,
      'what was dropped cannot be read back from this disk: messages among it come back from their authors when the peers next catch up; restore db from a backup to recover the rest'))
  return db
}

/** The stored leaves rebuild the stored tree and the last signed checkpoint, and each is a journal entry. */
async function checkJournal (db: Database, keys: DeviceKeys): Promise<Finding> {
  const fix = "export what it holds ('causette log export', then 'causette log verify' on the file) and keep the file; the journal itself cannot be rewritten"
  try {
    const { sha256 } = nodeLogPrimitives
    const journal = await Journal.open({ db: db.journal, sign: () => { throw new Error('doctor: read only') }, publicKey: keys.device.publicKey, origin: journalOrigin(ed25519PeerId(keys.device.publicKey)) })
    const rebuilt = new MerkleAccumulator(sha256)
    for await (const [index, leaf] of journal.leaves(0, journal.size)) {
      if (index !== rebuilt.size) return problem('journal', `entry ${rebuilt.size} is missing`, fix)
      if (!isEntryKind((JSON.parse(fromUtf8(leaf)) as { kind?: unknown }).kind)) return problem('journal', `entry ${index} is not a journal entry`, fix)
      rebuilt.push(hashLeaf(sha256, leaf))
    }
    if (rebuilt.size !== journal.size || !equals(rebuilt.root(), journal.root())) return problem('journal', 'its entries do not rebuild its Merkle tree', fix)
    if (!await journal.matchesLastCheckpoint()) return problem('journal', 'its tree does not rebuild the last signed checkpoint', fix)
    return ok('journal', `${journal.size} entries rebuild the tree and the last signed checkpoint`)
  } catch (error) {
    return problem('journal', messageOf(error), fix)
  }
}

function messageOf (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
