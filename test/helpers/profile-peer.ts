// The PeerId a profile will have, made before its node starts (a test that must know it first).
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { ensureProfileDir } from '../../core/profile/files.js'
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'

export async function peerIdOfHome (home: string): Promise<string> {
  await ensureProfileDir(home)
  const { keys } = await loadOrCreateDeviceKeys(home)
  return peerIdFromPublicKey(publicKeyFromRaw(keys.device.publicKey)).toString()
}
