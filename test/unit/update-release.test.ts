// The release format: the signed manifest, the bundle an admin hands over and the chunk proofs, each
// checked with the release key alone; and fuzz properties over every parser that reads what a
// colleague or a file gives us.
import assert from 'node:assert/strict'
import { createReadStream } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { CausetteError } from '../../core/errors.js'
import { readBundle } from '../../core/update/bundle.js'
import { chunkCount, chunkLength, chunkProven, CHUNK_BYTES, digestFile, inclusionProof } from '../../core/update/chunks.js'
import { formatManifest, openManifest, parseManifest, releaseNoteKey, type SignedManifest } from '../../core/update/manifest.js'
import { openPauseDecision, signPauseDecision } from '../../core/update/pause.js'
import { compareVersions } from '../../core/runtime/version.js'
import { PRODUCTION_RELEASE_KEY } from '../../core/update/release-key.js'
import { fakeExecutable, makeRelease, testReleaseKey, type TestRelease } from '../helpers/release.js'
import { coded, damagedBytes, decodeOrRefuse, fuzzDecoders, fuzzParameters, fuzzText, FuzzTally } from '../helpers/fuzz-decoding.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'

const key = testReleaseKey()
const trusted = releaseNoteKey(key.verifierKey)
let root: string
let release: TestRelease

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'causette-release-'))
  release = await makeRelease(join(root, 'release'), { version: '0.2.0', targets: ['linux-x64', 'win-x64'] })
})
after(async () => { await rm(root, { recursive: true, force: true }) })

async function readInto (bytes: Uint8Array | string, accept: (m: SignedManifest) => void = () => {}): Promise<{ manifest: SignedManifest, dir: string }> {
  const dir = await mkdtemp(join(root, 'out-'))
  const source = typeof bytes === 'string' ? createReadStream(bytes) : (async function * () { yield bytes })()
  const manifest = await readBundle(source, trusted, { accept, pathOf: file => join(dir, file.name) })
  return { manifest, dir }
}

async function refusal (bytes: Uint8Array, code: string): Promise<void> {
  await assert.rejects(readInto(bytes), (error: Error) => error instanceof CausetteError && error.code === code, `expected ${code}`)
}

describe('release manifest', () => {
  it('signs and opens with the release key; the text lists version and files', () => {
    assert.equal(release.manifest.version, '0.2.0')
    assert.deepEqual(release.manifest.files.map(f => f.target), ['linux-x64', 'win-x64'])
    assert.deepEqual(openManifest(release.manifest.note, trusted).files, release.manifest.files)
    assert.equal(formatManifest(parseManifest(formatManifest(release.manifest))), formatManifest(release.manifest))
  })

  it('refuses a manifest signed by another key, even a well-formed one', () => {
    assert.throws(() => openManifest(release.manifest.note, releaseNoteKey(testReleaseKey('someone-else').verifierKey)), { code: 'UPDATE_BAD_SIGNATURE' })
    assert.throws(() => openManifest(release.manifest.note, releaseNoteKey(PRODUCTION_RELEASE_KEY)), { code: 'UPDATE_BAD_SIGNATURE' })
  })

  it('refuses a changed word of a signed manifest', () => {
    const changed = release.manifest.note.replace('version 0.2.0', 'version 9.2.0')
    assert.throws(() => openManifest(changed, trusted), { code: 'UPDATE_BAD_SIGNATURE' })
  })

  it('compares versions number by number', () => {
    assert.ok(compareVersions('0.10.0', '0.9.9') > 0)
    assert.ok(compareVersions('1.0.0', '1.0.0') === 0)
    assert.ok(compareVersions('0.1.0', '0.1.1') < 0)
  })
})

describe('release bundle', () => {
  it('reads a bundle to disk, each file equal to the original', async () => {
    const { manifest, dir } = await readInto(release.bundle)
    assert.equal(manifest.note, release.manifest.note)
    for (const file of manifest.files) assert.deepEqual(await readFile(join(dir, file.name)), await readFile(join(release.dir, file.name)))
  })

  it('refuses a tampered byte, a truncated file, bytes after the end and a file that is not a bundle', async () => {
    const bytes = new Uint8Array(await readFile(release.bundle))
    const tampered = bytes.slice(); tampered[bytes.length - 1000]! ^= 1
    await refusal(tampered, 'UPDATE_TAMPERED')
    await refusal(bytes.slice(0, bytes.length - 1), 'UPDATE_TRUNCATED')
    await refusal(Uint8Array.from([...bytes, 0]), 'UPDATE_BAD_BUNDLE')
    await refusal(new TextEncoder().encode('MZ not a bundle at all\n'), 'UPDATE_BAD_BUNDLE')
  })

  it('refuses a bundle signed by another key before reading any file', async () => {
    const other = await makeRelease(join(root, 'other'), { version: '0.2.0', targets: ['linux-x64'], key: testReleaseKey('someone-else') })
    const out = await mkdtemp(join(root, 'refused-'))
    await assert.rejects(readBundle(createReadStream(other.bundle), trusted, { accept: () => {}, pathOf: f => join(out, f.name) }), { code: 'UPDATE_BAD_SIGNATURE' })
    assert.deepEqual(await readdir(out), [])
  })

  it('lets the caller refuse on the manifest (a downgrade, another platform) before any file is written', async () => {
    const out = await mkdtemp(join(root, 'accept-'))
    await assert.rejects(readBundle(createReadStream(release.bundle), trusted, {
      accept: () => { throw new CausetteError('UPDATE_WRONG_TARGET', 'no file for us') },
      pathOf: f => join(out, f.name)
    }), { code: 'UPDATE_WRONG_TARGET' })
    assert.deepEqual(await readdir(out), [])
  })
})

describe('chunks', () => {
  it('proves every chunk of a file against the signed root, and nothing else', async () => {
    const file = release.manifest.files[0]!
    const path = join(release.dir, file.name)
    const { leaves } = await digestFile(path)
    const bytes = await readFile(path)
    assert.equal(leaves.length, chunkCount(file.size))
    assert.ok(chunkCount(file.size) >= 3, 'several chunks, the last one short')
    for (let i = 0; i < leaves.length; i++) {
      const data = bytes.subarray(i * CHUNK_BYTES, i * CHUNK_BYTES + chunkLength(file.size, i))
      assert.ok(chunkProven(file, i, data, inclusionProof(leaves, i)))
      const garbage = Uint8Array.from(data); garbage[0]! ^= 0xff
      assert.ok(!chunkProven(file, i, garbage, inclusionProof(leaves, i)), 'a changed chunk')
      assert.ok(!chunkProven(file, (i + 1) % leaves.length, data, inclusionProof(leaves, i)), 'a chunk offered as another')
    }
  })
})

describe('fuzz', () => {
  const tally = new FuzzTally()
  after(() => { console.log(tally.lines().join('\n')) })
  const expected = coded(CausetteError, 'UPDATE_BAD_MANIFEST', 'UPDATE_BAD_SIGNATURE')

  it('parseManifest and openManifest accept only what re-encodes, and refuse the rest with their codes', () => {
    const text = formatManifest(release.manifest)
    fuzzDecoders(tally, 300, fc.oneof(fuzzText([text]), fuzzText([release.manifest.note])), candidate => {
      decodeOrRefuse(tally, 'parseManifest', () => parseManifest(candidate), expected, { accepted: m => { assert.equal(formatManifest(m), candidate) } })
      decodeOrRefuse(tally, 'openManifest', () => openManifest(candidate, trusted), expected, { accepted: m => { assert.equal(m.note, candidate) } })
    }, { parseManifest: ['accepted', 'refused'], openManifest: ['accepted', 'refused'] })
  })

  it('openPauseDecision refuses damaged decisions with UPDATE_BAD_DECISION', () => {
    const seed = new Uint8Array(32).fill(7)
    const signed = signPauseDecision(ed25519Signer(seed), ed25519FromSeed(seed).publicKey, { workspace: 'w0rkspace', paused: true, issued: 1_700_000_000_000 })
    fuzzDecoders(tally, 300, damagedBytes(signed.bytes), bytes => {
      decodeOrRefuse(tally, 'openPauseDecision', () => openPauseDecision({ bytes, signature: signed.signature }), coded(CausetteError, 'UPDATE_BAD_DECISION'))
    }, { openPauseDecision: ['refused'] })
    assert.equal(openPauseDecision(signed).paused, true)
  })

  it('readBundle refuses damaged bundles with an UPDATE_ code, never anything else', async () => {
    const small = await makeRelease(join(root, 'small'), { version: '0.3.0', targets: ['linux-x64'], size: 3000 })
    const valid = new Uint8Array(await readFile(small.bundle))
    const outcomes = new Map<string, number>()
    await fc.assert(fc.asyncProperty(damagedBytes(valid), async bytes => {
      try {
        const { manifest, dir } = await readInto(bytes)
        assert.equal(manifest.files.length, 1)
        assert.equal((await digestFile(join(dir, manifest.files[0]!.name))).sha256, manifest.files[0]!.sha256)
        outcomes.set('accepted', (outcomes.get('accepted') ?? 0) + 1)
      } catch (error) {
        assert.ok(error instanceof CausetteError && error.code.startsWith('UPDATE_'), `unexpected ${String(error)}`)
        outcomes.set(error.code, (outcomes.get(error.code) ?? 0) + 1)
      }
    }), fuzzParameters(200))
    console.log('readBundle:', [...outcomes].map(([k, v]) => `${v} ${k}`).join(', '))
    assert.ok((outcomes.get('UPDATE_TRUNCATED') ?? 0) > 0 && (outcomes.get('UPDATE_TAMPERED') ?? 0) > 0, 'the property met truncation and tampering')
  })

  it('chunkProven never throws on garbage proofs', () => {
    const file = release.manifest.files[0]!
    fc.assert(fc.property(fc.integer({ min: -2, max: 10 }), fc.uint8Array({ maxLength: 64 }), fc.array(fc.uint8Array({ minLength: 30, maxLength: 34 }), { maxLength: 40 }), (index, data, proof) => {
      assert.equal(chunkProven(file, index, data, proof), false)
    }), fuzzParameters(300))
  })
})

it('fake executables are deterministic per target and version', () => {
  assert.deepEqual(fakeExecutable('linux-x64', '0.2.0', 100), fakeExecutable('linux-x64', '0.2.0', 100))
  assert.notDeepEqual(fakeExecutable('linux-x64', '0.2.0', 100), fakeExecutable('win-x64', '0.2.0', 100))
})

describe('npm run release:sign', () => {
  it('makes a key pair (never overwriting one), signs a release directory and bundles it', async () => {
    const { execFile } = await import('node:child_process')
    const run = async (...args: string[]): Promise<{ code: number, stdout: string, stderr: string }> => await new Promise(resolve => {
      execFile(process.execPath, ['--import', 'tsx', new URL('../../scripts/release/sign.ts', import.meta.url).pathname, ...args], (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr })
      })
    })
    const keyFile = join(root, 'release.key')
    const made = await run('--generate-key', keyFile)
    assert.equal(made.code, 0, made.stderr)
    const verifierKey = made.stdout.trim().split('\n').at(-1)!
    assert.match(verifierKey, /^causette-release\+[0-9a-f]{8}\+/)
    assert.equal((await import('node:fs')).statSync(keyFile).mode & 0o777, 0o600)
    assert.notEqual((await run('--generate-key', keyFile)).code, 0, 'an existing key is never overwritten')

    const dir = (await makeRelease(join(root, 'cli'), { version: '0.4.0', targets: ['linux-x64'], size: 5000 })).dir
    const bundle = join(root, 'cli.causette-release')
    const signed = await run('--key', keyFile, '--bundle', bundle, dir)
    assert.equal(signed.code, 0, signed.stderr)
    const note = await readFile(join(dir, 'release.note'), 'utf8')
    assert.equal(openManifest(note, releaseNoteKey(verifierKey)).version, '0.4.0')
    const out = await mkdtemp(join(root, 'cli-out-'))
    const manifest = await readBundle(createReadStream(bundle), releaseNoteKey(verifierKey), { accept: () => {}, pathOf: f => join(out, f.name) })
    assert.equal(manifest.note, note)
  })
})

it('a signer key whose base64 holds "+" reads back (it failed one run in four)', async () => {
  const { formatSignerKey, parseSignerKey, signerKeyFromSeed } = await import('../../scripts/release/signer-key.js')
  for (let n = 0; n < 64; n++) {
    const seed = new Uint8Array(32).fill(n * 4 + 3)
    assert.equal(parseSignerKey(formatSignerKey('k', seed)).verifierKey, signerKeyFromSeed('k', seed).verifierKey)
  }
})
