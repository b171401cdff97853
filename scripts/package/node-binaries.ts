// The Node binaries the executables are made from: fetched with `npm pack` into a cache that git
// ignores, each tarball checked against the SHA-256 committed in node-binaries.sha256 before use.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { NODE_VERSION, type TargetBuild } from './targets.js'

const SUMS_FILE = join(import.meta.dirname, 'node-binaries.sha256')

export class NodeBinaryError extends Error {
  override name = 'NodeBinaryError'
}

/**
 * The path of the target's Node binary, unpacked into `unpackDir` (the build's own) from its checked
 * tarball under cacheDir: anew each time from the tarball just checked, never trusted from an earlier
 * run, and never in the shared cache, where two builds at once (two test files) would rewrite the
 * binary one of them is reading.
 */
export function nodeBinary (build: TargetBuild, cacheDir: string, unpackDir: string): string {
  const tarball = checkedTarball(build, cacheDir)
  const unpacked = join(unpackDir, `${build.nodePackage}-${NODE_VERSION}`)
  mkdirSync(unpacked, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked, build.nodeBinary])
  const binary = join(unpacked, build.nodeBinary)
  if (build.stripDebugInfo) stripDebugInfo(binary)
  return binary
}

/**
 * The Linux builds carry their symbol tables and debug information (150 MB, 34 of them); dropped, the download is
 * smaller and nothing runs differently. llvm-strip reads ELF of any architecture.
 */
function stripDebugInfo (binary: string): void {
  try {
    execFileSync('llvm-strip', ['--strip-all', binary], { stdio: ['ignore', 'ignore', 'inherit'] })
  } catch (error) {
    throw new NodeBinaryError(`llvm-strip could not strip ${binary} (apt-get install llvm): ${(error as Error).message}`)
  }
}

function checkedTarball (build: TargetBuild, cacheDir: string): string {
  const name = `${build.nodePackage}-${NODE_VERSION}.tgz`
  const expected = committedSums().get(name)
  if (expected === undefined) throw new NodeBinaryError(`${name} has no SHA-256 in ${SUMS_FILE}`)
  const tarball = join(cacheDir, name)
  if (!existsSync(tarball)) fetchTarball(build, cacheDir, name)
  const actual = sha256File(tarball)
  if (actual !== expected) {
    // Moved aside, not deleted: the file is evidence, and the next run fetches anew.
    renameSync(tarball, `${tarball}.rejected`)
    throw new NodeBinaryError(`${name} has SHA-256 ${actual}, not ${expected} as committed in ${SUMS_FILE}: refused`)
  }
  return tarball
}

/** Fetched into a folder of its own, then moved into the cache whole: a build beside it never reads half a tarball. */
function fetchTarball (build: TargetBuild, cacheDir: string, name: string): void {
  mkdirSync(cacheDir, { recursive: true })
  const fetching = mkdtempSync(join(cacheDir, '.fetching-'))
  try {
    execFileSync('npm', ['pack', `${build.nodePackage}@${NODE_VERSION}`, '--silent', '--pack-destination', fetching], { stdio: ['ignore', 'ignore', 'inherit'] })
    if (!existsSync(join(fetching, name))) throw new NodeBinaryError(`npm pack did not write ${name}`)
    renameSync(join(fetching, name), join(cacheDir, name))
  } finally {
    rmSync(fetching, { recursive: true, force: true })
  }
}

/** The committed sums, in sha256sum's format: `<hex>  <file name>`. */
function committedSums (): Map<string, string> {
  const sums = new Map<string, string>()
  for (const line of readFileSync(SUMS_FILE, 'utf8').split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line.trim())
    if (match !== null) sums.set(match[2]!, match[1]!)
  }
  return sums
}

export function sha256File (path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}
