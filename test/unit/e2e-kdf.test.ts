// The key derivations of our protocol, pinned: the expected values were computed apart from this
// code, with Python's hmac and hashlib (HKDF written out per RFC 5869), from the formulas in
// crypto/e2e/x3dh.ts and ratchet-kdf.ts, so that an independent implementation can check itself here.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import { kdfChain, kdfRoot, messageCipherKeys } from '../../crypto/e2e/ratchet-kdf.js'
import { x3dhSharedKey } from '../../crypto/e2e/x3dh.js'
import { toHex } from '../../crypto/encoding.js'

const filled = (byte: number): Uint8Array => new Uint8Array(32).fill(byte)

test('X3DH: SK = HKDF(salt 0^32, 0xFF^32 || DH1 || DH2 || DH3, "causette/x3dh/v1")', () => {
  assert.equal(toHex(x3dhSharedKey(filled(5), filled(6), filled(7))), 'e4d7127a02b6bb3fec3908fdd601b88cb3f62210462c4e6713e8509e72135d43')
})

test('root chain: HKDF(salt root key, DH output, "causette/ratchet-root/v1") -> root key || chain key', () => {
  const { rootKey, chainKey } = kdfRoot(filled(1), filled(2))
  assert.equal(toHex(rootKey), '6a1428d0ab6670d74c497adfbde76f8074b3c19d0be9e45fb6c960be411d6fd5')
  assert.equal(toHex(chainKey), '0c3065bac7765de958067b25be35a257a4a2ce84d675df9bb6bae3774db3de13')
})

test('sending and receiving chains: HMAC(chain key, 0x02) -> next chain key, HMAC(chain key, 0x01) -> message key', () => {
  const { chainKey, messageKey } = kdfChain(filled(3))
  assert.equal(toHex(chainKey), 'cfbf8f5595e5f186a92161efb3ebb946d3aa706c2df70eed5152741bdb1e7bde')
  assert.equal(toHex(messageKey), 'aa6fa3f949be2b2cc7de5a18e7f65fee5fb78488f588d53196a63e66ad67ad12')
})

test('message keys: HKDF(salt 0^32, message key, "causette/ratchet-message/v1") -> AEAD key || 24-byte nonce', () => {
  const { key, nonce } = messageCipherKeys(filled(4))
  assert.equal(toHex(key), '0d0daa5e386568077e98c99ee05f217bb9eadd5e16b8adc9ab85240d9b9b135d')
  assert.equal(toHex(nonce), '44f25f540479f33c7111f03dc73edfdc94ad89bb51828cfc')
})

test('crypto/e2e and the safety numbers import nothing but crypto/, node:crypto and libsodium\'s native binding', () => {
  const dir = new URL('../../crypto/e2e/', import.meta.url)
  const files = readdirSync(dir).filter(f => f.endsWith('.ts')).map(f => new URL(f, dir))
  files.push(new URL('../../crypto/safety-number.ts', import.meta.url))
  let imports = 0
  for (const file of files) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
      const inCrypto = specifier!.startsWith('.') && new URL(specifier!, file).pathname.includes('/crypto/')
      assert.ok(inCrypto || specifier === 'node:crypto' || specifier === 'sodium-native', `${file.pathname}: ${specifier!}`)
      imports++
    }
  }
  assert.ok(imports > 30, 'the imports were read')
})
