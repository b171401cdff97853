// `npm run package [-- --target T ...] [--version V] [--release-key KEY] [--out DIR] [--no-downloads]`:
// one single executable per target from this machine, each also zipped to download, with SHA256SUMS
// and manifest.json, in dist/release/.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { isTarget, TARGETS, type Target } from '../../core/runtime/targets.js'
import { packageRelease } from './package-release.js'

const ROOT = join(import.meta.dirname, '..', '..')

const USAGE = `npm run package [-- --target T ...] [--version V] [--release-key KEY] [--out DIR] [--no-downloads]
  --target T         ${TARGETS.join(', ')} (repeatable; default all five)
  --version V        default package.json's version
  --release-key KEY  a note verifier key string to trust for updates instead of the production key
  --out DIR          default dist/release
  --no-downloads     only the executables, not their zips to download`

function parse (): { targets: Target[], version: string, releaseKey?: string, outDir: string, downloads: boolean } {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', multiple: true },
      version: { type: 'string' },
      'release-key': { type: 'string' },
      out: { type: 'string' },
      'no-downloads': { type: 'boolean' },
      help: { type: 'boolean' }
    }
  })
  if (values.help === true) { console.log(USAGE); process.exit(0) }
  const targets = values.target ?? [...TARGETS]
  for (const target of targets) if (!isTarget(target)) throw new Error(`unknown target ${target}: one of ${TARGETS.join(', ')}`)
  const version = values.version ?? (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) throw new Error(`--version ${version} is not a version like 1.2.3`)
  return { targets: targets as Target[], version, releaseKey: values['release-key'], outDir: resolve(values.out ?? join(ROOT, 'dist', 'release')), downloads: values['no-downloads'] !== true }
}

/** Files of an earlier release in outDir go (and nothing else: --out may name a folder of the user's). */
function removeEarlierRelease (outDir: string): void {
  mkdirSync(outDir, { recursive: true })
  for (const name of readdirSync(outDir)) {
    if (name.startsWith('causette-') || name === 'SHA256SUMS' || name === 'manifest.json') rmSync(join(outDir, name), { force: true })
  }
}

const options = parse()
removeEarlierRelease(options.outDir)
const started = performance.now()
const manifest = await packageRelease({ ...options, root: ROOT, log: line => { console.log(line) } })
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`
for (const entry of manifest.files) {
  console.log(`${entry.file}  ${mib(entry.size)}  ${entry.sha256}`)
  if (entry.download !== undefined) console.log(`${entry.download.file}  ${mib(entry.download.size)}  ${entry.download.sha256}`)
}
console.log(`${manifest.files.length} executables in ${options.outDir} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
