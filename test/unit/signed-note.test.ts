// C2SP signed notes: the Go reference example (golang.org/x/mod/sumdb/note), the C2SP spec examples,
// and our checkpoints checked by OpenSSL (`openssl pkeyutl -verify -rawin`).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { concat, fromBase64, toBase64, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { formatCheckpoint, formatVerifierKey, noteKey, openNote, parseCheckpoint, parseNote, parseVerifierKey, signNote } from '../../crypto/signed-note.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'

const vectors = JSON.parse(readFileSync(new URL('../fixtures/journal/signed-note-vectors.json', import.meta.url), 'utf8')) as {
  go: { verifierKey: string, signerKey: string, text: string, note: string }
  c2spSignedNote: string
  c2spCheckpoint: string
}

describe('signed notes', () => {
  it('opens the Go sumdb/note example with its verifier key', () => {
    const key = parseVerifierKey(sha256, vectors.go.verifierKey)
    assert.equal(openNote(nodeLogPrimitives, vectors.go.note, key), vectors.go.text)
    assert.equal(formatVerifierKey(key), vectors.go.verifierKey)
  })

  it('reproduces the Go example byte for byte from its signer key (Ed25519 is deterministic)', () => {
    const seed = fromBase64(vectors.go.signerKey.split('+').slice(4).join('+')).slice(1)
    const key = noteKey(sha256, 'PeterNeumann', ed25519FromSeed(seed).publicKey)
    assert.equal(signNote(key, ed25519Signer(seed), vectors.go.text), vectors.go.note)
  })

  it('rejects the Go example once its text or signature changes', () => {
    const key = parseVerifierKey(sha256, vectors.go.verifierKey)
    assert.throws(() => openNote(nodeLogPrimitives, vectors.go.note.replace('cryptography', 'cryptographY'), key), { code: 'BAD_SIGNED_NOTE' })
    assert.throws(() => openNote(nodeLogPrimitives, vectors.go.note.replace('x08go', 'x08gp'), key), { code: 'BAD_SIGNED_NOTE' })
  })

  it('parses the C2SP signed-note example: text with a blank line, one signature with its key ID', () => {
    const { text, signatures } = parseNote(vectors.c2spSignedNote)
    assert.equal(text, 'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n')
    assert.equal(signatures.length, 1)
    assert.equal(signatures[0]!.name, 'quasimodo.example/salvatore')
    assert.equal(signatures[0]!.signature.length, 64)
  })

  it('parses the C2SP tlog-checkpoint example', () => {
    const { text } = parseNote(vectors.c2spCheckpoint)
    const c = parseCheckpoint(text)
    assert.equal(c.origin, 'example.com/behind-the-sofa')
    assert.equal(c.size, 20852163)
    assert.equal(toBase64(c.root), 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=')
  })

  it('ignores signatures by unknown keys but rejects a note with none by ours', () => {
    const a = ed25519FromSeed(new Uint8Array(32).fill(1))
    const b = ed25519FromSeed(new Uint8Array(32).fill(2))
    const keyA = noteKey(sha256, 'a.example', a.publicKey)
    const keyB = noteKey(sha256, 'b.example', b.publicKey)
    const note = signNote(keyA, ed25519Signer(a.seed), 'hello\n')
    const twice = note + signNote(keyB, ed25519Signer(b.seed), 'hello\n').split('\n\n')[1]!
    assert.equal(openNote(nodeLogPrimitives, twice, keyA), 'hello\n')
    assert.throws(() => openNote(nodeLogPrimitives, note, keyB), /not signed by b.example/)
  })

  it('refuses malformed notes and keys with a clear error', () => {
    for (const bad of ['', 'no newline', 'text\n', 'text\n\n', 'text\n\nnot a signature\n', 'text\n\n— name !!!\n', 'a\u0001b\n\n— n AAAA\n']) {
      assert.throws(() => parseNote(bad), { code: 'BAD_SIGNED_NOTE' }, JSON.stringify(bad))
    }
    for (const bad of ['', 'name', 'name+c74f20a3', 'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'a b+00000000+AA==']) {
      assert.throws(() => parseVerifierKey(sha256, bad), { code: 'BAD_SIGNED_NOTE' }, bad)
    }
    for (const bad of ['o\n01\nAA==\n', 'o\n1\n', '\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n']) {
      assert.throws(() => parseCheckpoint(bad), { code: 'BAD_SIGNED_NOTE' }, bad)
    }
  })

  it('our checkpoints verify with openssl pkeyutl -verify -rawin', () => {
    const pair = ed25519FromSeed(new Uint8Array(32).fill(7))
    const key = noteKey(sha256, 'causette/journal/v1/test', pair.publicKey)
    const text = formatCheckpoint({ origin: key.name, size: 8, root: sha256(utf8('root')) })
    const note = signNote(key, ed25519Signer(pair.seed), text)
    const dir = mkdtempSync(join(tmpdir(), 'causette-note-'))
    try {
      const spki = concat([Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]), pair.publicKey])
      writeFileSync(join(dir, 'key.pem'), `-----BEGIN PUBLIC KEY-----\n${toBase64(spki)}\n-----END PUBLIC KEY-----\n`)
      writeFileSync(join(dir, 'text'), text)
      const signature = parseNote(note).signatures[0]!.signature
      writeFileSync(join(dir, 'sig'), signature)
      const verify = (): string => execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'key.pem'), '-rawin', '-in', join(dir, 'text'), '-sigfile', join(dir, 'sig')], { encoding: 'utf8' })
      assert.match(verify(), /Signature Verified Successfully/)
      writeFileSync(join(dir, 'text'), text.replace('8', '9'))
      assert.throws(verify)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
