// The executables this Linux machine makes for the other platforms are what those systems load:
// an ELF for arm64, a PE32+ for x64 Windows (named causette, with its icon), Mach-O for Apple's two
// architectures, each with the application injected (Node's SEA fuse flipped); SHA256SUMS and
// manifest.json describe them.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import * as ResEdit from 'resedit'
import { pngSize } from '../../core/desk/png-size.js'
import type { Target } from '../../core/runtime/targets.js'
import type { Manifest } from '../../scripts/package/release-files.js'
import { TARGET_BUILDS } from '../../scripts/package/targets.js'
import { buildRelease } from '../helpers/executable.js'
import { REPO_ROOT } from '../helpers/lan-process.js'

/** Node's sentinel: `:0` in a plain Node binary, `:1` once an application is injected. */
const INJECTED_FUSE = Buffer.from('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1')

const LC_CODE_SIGNATURE = 0x1d

/** PE32+ security directory, read apart from resedit: [offset, size]; [0, 0] when the file carries no signature. */
function securityDirectory (pe: Buffer): [number, number] {
  const entry = pe.readUInt32LE(0x3c) + 24 + 112 + 8 * 4
  return [pe.readUInt32LE(entry), pe.readUInt32LE(entry + 4)]
}

/** What node --build-sea's blob starts with (Node's SeaResource magic, little-endian). */
const SEA_BLOB_MAGIC = 0x0143da20
const RT_RCDATA = 10

function loadCommands (macho: Buffer): number[] {
  const commands: number[] = []
  let offset = 32
  for (let index = 0; index < macho.readUInt32LE(16); index++) {
    commands.push(macho.readUInt32LE(offset))
    offset += macho.readUInt32LE(offset + 4)
  }
  return commands
}

let outDir: string
let manifest: Manifest
const cleanups: Array<() => Promise<void>> = []
after(async () => { for (const cleanup of cleanups) await cleanup() })
before(async () => {
  ({ outDir, manifest } = await buildRelease({ after: cleanup => cleanups.push(cleanup) }, ['linux-arm64', 'win-x64', 'darwin-arm64', 'darwin-x64'], { downloads: true }))
})

async function releaseFile (target: Target): Promise<Buffer> {
  const entry = manifest.files.find(file => file.target === target)
  assert.ok(entry, `no ${target} file in the manifest`)
  const bytes = await readFile(join(outDir, entry.file))
  assert.ok(bytes.includes(INJECTED_FUSE), `${target}: the application is injected`)
  return bytes
}

test('linux-arm64 is an ELF executable for AArch64', async () => {
  const elf = await releaseFile('linux-arm64')
  assert.deepEqual([...elf.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46])
  assert.equal(elf[4], 2, '64-bit')
  assert.equal(elf.readUInt16LE(16), 2, 'ET_EXEC')
  assert.equal(elf.readUInt16LE(18), 0xb7, 'EM_AARCH64')
})

test('win-x64 is a PE32+ executable for x64', async () => {
  const pe = await releaseFile('win-x64')
  assert.equal(pe.toString('latin1', 0, 2), 'MZ')
  const header = pe.readUInt32LE(0x3c)
  assert.equal(pe.toString('latin1', header, header + 4), 'PE\0\0')
  assert.equal(pe.readUInt16LE(header + 4), 0x8664, 'IMAGE_FILE_MACHINE_AMD64')
  assert.ok((pe.readUInt16LE(header + 22) & 0x0002) !== 0, 'IMAGE_FILE_EXECUTABLE_IMAGE')
  assert.equal(pe.readUInt16LE(header + 24), 0x20b, 'PE32+ optional header')
  // node.exe's Authenticode signature cannot hold once the application is in: none, not a broken one.
  assert.deepEqual(securityDirectory(pe), [0, 0])
})

/** The win-x64 file's resources, read back with resedit (which refuses a signed file unless told). */
async function windowsResources (): Promise<ResEdit.NtExecutableResource> {
  return ResEdit.NtExecutableResource.from(ResEdit.NtExecutable.from(await releaseFile('win-x64')))
}

test('win-x64 names itself causette, not Node.js, to Windows (firewall alert, Task Manager, Explorer)', async () => {
  const [info, ...otherInfos] = ResEdit.Resource.VersionInfo.fromEntries((await windowsResources()).entries)
  assert.ok(info !== undefined && otherInfos.length === 0, 'one version resource')
  const enUs = { lang: 1033, codepage: 1200 }
  assert.deepEqual(info.getAvailableLanguages(), [enUs])
  assert.deepEqual(info.getAllLanguagesForStringValues(), [enUs])
  assert.deepEqual(info.getStringValues(enUs), {
    FileDescription: 'causette',
    ProductName: 'causette',
    CompanyName: 'causette',
    InternalName: 'causette',
    OriginalFilename: 'causette.exe',
    FileVersion: '0.1.0',
    ProductVersion: '0.1.0',
    LegalCopyright: 'Copyright causette contributors. MIT license.',
    Comments: 'Built on Node.js 26.10.0 (Copyright Node.js contributors. MIT license.)'
  })
  // 0.1.0.0: the major and minor in the high word's halves, the patch and 0 in the low word's.
  assert.deepEqual([info.fixedInfo.fileVersionMS, info.fixedInfo.fileVersionLS, info.fixedInfo.productVersionMS, info.fixedInfo.productVersionLS], [1, 0, 1, 0])
})

test('win-x64 shows causette\'s icon, at 16, 32, 48 and 256 px', async () => {
  const resources = await windowsResources()
  const [group, ...otherGroups] = ResEdit.Resource.IconGroupEntry.fromEntries(resources.entries)
  assert.ok(group !== undefined && otherGroups.length === 0, 'one icon group: the file\'s icon')
  const sizes = [16, 32, 48, 256]
  // An icon directory says 0 for 256.
  assert.deepEqual(group.icons.map(icon => [icon.width, icon.height]), sizes.map(size => [size % 256, size % 256]))
  const images = group.getIconItemsFromEntries(resources.entries)
  for (const [index, size] of sizes.entries()) {
    const png = await readFile(join(REPO_ROOT, 'ui', 'public', 'icons', `icon-${size}.png`))
    assert.deepEqual(pngSize(png), { width: size, height: size })
    const image = images[index]!
    assert.ok(image.isRaw(), `${size} px: a PNG entry`)
    assert.ok(Buffer.from(image.bin).equals(png), `${size} px: causette's icon-${size}.png`)
  }
})

test('win-x64 still holds the application\'s blob whole, added after its resources were changed', async () => {
  const blob = (await windowsResources()).entries.find(entry => entry.type === RT_RCDATA && entry.id === 'NODE_SEA_BLOB')
  assert.ok(blob !== undefined, 'the blob is a resource')
  const blobBytes = Buffer.from(blob.bin)
  assert.equal(blobBytes.readUInt32LE(0), SEA_BLOB_MAGIC)
  for (const asset of [join(REPO_ROOT, 'ui', 'dist', 'index.html'), join(REPO_ROOT, 'node_modules', TARGET_BUILDS['win-x64'].addons.leveldb)]) {
    assert.ok(blobBytes.includes(await readFile(asset)), `the blob holds ${asset} byte for byte`)
  }
})

for (const [target, cpuType] of [['darwin-arm64', 0x0100000c], ['darwin-x64', 0x01000007]] as const) {
  test(`${target} is a Mach-O executable for ${target === 'darwin-arm64' ? 'arm64' : 'x86_64'}`, async () => {
    const macho = await releaseFile(target)
    assert.equal(macho.readUInt32LE(0), 0xfeedfacf, 'MH_MAGIC_64')
    assert.equal(macho.readUInt32LE(4), cpuType)
    assert.equal(macho.readUInt32LE(12), 2, 'MH_EXECUTE')
    // Node's signature is gone with the injection: docs/release.md says how a maintainer signs.
    assert.ok(!loadCommands(macho).includes(LC_CODE_SIGNATURE), 'no stale code signature')
  })
}

test('SHA256SUMS and manifest.json name every file with its size, SHA-256 and Node version', async () => {
  const sums = await readFile(join(outDir, 'SHA256SUMS'), 'utf8')
  assert.deepEqual(JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')), manifest)
  assert.equal(manifest.version, '0.1.0')
  for (const entry of manifest.files) {
    const bytes = await readFile(join(outDir, entry.file))
    assert.equal(entry.size, bytes.length)
    assert.equal(entry.sha256, createHash('sha256').update(bytes).digest('hex'))
    assert.equal(entry.node, '26.10.0')
    assert.ok(sums.split('\n').includes(`${entry.sha256}  ${entry.file}`), `${entry.file} in SHA256SUMS`)
    const download = entry.download
    assert.ok(download !== undefined, `${entry.file} has a zip to download`)
    assert.equal(download.size, (await readFile(join(outDir, download.file))).length)
    assert.ok(sums.split('\n').includes(`${download.sha256}  ${download.file}`), `${download.file} in SHA256SUMS`)
  }
  assert.equal(manifest.files.find(entry => entry.target === 'win-x64')?.file, 'causette-0.1.0-win-x64.exe')
})

/** Python's zipfile, a reader that is not ours: each entry's name, Unix mode and SHA-256. */
const LIST_ZIP = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps([{'name': i.filename, 'mode': i.external_attr >> 16, 'sha256': hashlib.sha256(z.read(i)).hexdigest()} for i in z.infolist()]))
`

test('each zip to download holds its executable alone, executable once unpacked, at most half its size', async () => {
  for (const entry of manifest.files) {
    const { stdout } = await promisify(execFile)('python3', ['-c', LIST_ZIP, join(outDir, entry.download!.file)], { maxBuffer: 1 << 20 })
    assert.deepEqual(JSON.parse(stdout), [{ name: entry.file, mode: 0o100755, sha256: entry.sha256 }])
    assert.ok(entry.download!.size < entry.size / 2, `${entry.download!.file}: ${entry.download!.size} bytes for ${entry.size}`)
  }
  assert.equal(manifest.files.find(entry => entry.target === 'win-x64')?.download?.file, 'causette-0.1.0-win-x64.zip')
})
