// Opens a stopped node's database as the node does (its master key unseals the values), for tests
// that damage or rewind a profile on disk.
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'
import { openDatabase, type Database } from '../../core/store/database.js'
import { valueEncryption } from '../../core/store/value-encryption.js'

export async function openProfileDatabase (home: string): Promise<Database> {
  const { masterKey } = await loadOrCreateDeviceKeys(home, Date.now())
  return await openDatabase(home, valueEncryption(masterKey))
}
