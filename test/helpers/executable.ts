// The release executable as a person gets it: built by the packager into a temporary folder, copied
// alone into an empty one, and run inside a LAN host with an environment of nothing but an empty
// PATH (no `node` to fall back on), a HOME of its own and no node_modules anywhere above it.
import assert from 'node:assert/strict'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Target } from '../../core/runtime/targets.js'
import { packageRelease } from '../../scripts/package/package-release.js'
import type { Manifest } from '../../scripts/package/release-files.js'
import { LanProcess, REPO_ROOT } from './lan-process.js'
import type { LanHost, Teardown } from './netns.js'

/** How a test's release is built: its version, the verifier key its updates trust, its zips to download. */
export interface BuildOptions { version?: string, releaseKey?: string, downloads?: boolean }

/** What the packager writes for `targets` into a temporary folder (removed after the test). */
export async function buildRelease (t: Teardown, targets: Target[], { version = '0.1.0', releaseKey, downloads = false }: BuildOptions = {}): Promise<{ outDir: string, manifest: Manifest }> {
  assert.ok(existsSync(join(REPO_ROOT, 'ui', 'dist', 'index.html')), 'ui/dist is missing: run npm run build first')
  const outDir = await mkdtemp(join(tmpdir(), 'causette-release-'))
  t.after(async () => { await rm(outDir, { recursive: true, force: true }) })
  const manifest = await packageRelease({ root: REPO_ROOT, targets, version, outDir, downloads, ...(releaseKey !== undefined ? { releaseKey } : {}) })
  return { outDir, manifest }
}

export interface Desk {
  /** The executable, alone in its folder. */
  executable: string
  /** HOME of the person at this desk (the profile is HOME/.causette). */
  home: string
  /** An empty folder: the whole PATH. */
  emptyPath: string
}

/** A folder holding only a copy of `executable`, with a HOME and an empty PATH beside it. */
export async function deskWith (t: Teardown, executable: string): Promise<Desk> {
  const root = await mkdtemp(join(tmpdir(), 'causette-desk-'))
  t.after(async () => { await rm(root, { recursive: true, force: true }) })
  const [bin, home, emptyPath] = ['bin', 'home', 'empty-path'].map(name => join(root, name))
  for (const folder of [bin, home, emptyPath]) await mkdir(folder)
  const copy = join(bin, basename(executable))
  await copyFile(executable, copy)
  return { executable: copy, home, emptyPath }
}

/** `env -i` then only what a desk has: the executable sees no PATH with node, no NODE_* variables. */
function deskCommand (desk: Desk, args: string[], env: Record<string, string>): [string, string[]] {
  const variables = Object.entries({ PATH: desk.emptyPath, HOME: desk.home, ...env }).map(([name, value]) => `${name}=${value}`)
  return ['env', ['-i', ...variables, desk.executable, ...args]]
}

/** Runs the executable to completion inside `host`; resolves with its stdout. */
export async function runAtDesk (host: LanHost, desk: Desk, args: string[], env: Record<string, string> = {}): Promise<string> {
  const [command, argv] = deskCommand(desk, args, env)
  return (await host.exec(command, argv, { cwd: join(desk.executable, '..') })).stdout
}

/** Starts the executable (a daemon) inside `host`, speaking JSON lines on stdout. */
export function spawnAtDesk (host: LanHost, desk: Desk, args: string[], env: Record<string, string> = {}): LanProcess {
  const [command, argv] = deskCommand(desk, args, env)
  return new LanProcess(host, host.spawn(command, argv, { cwd: join(desk.executable, '..'), stdio: ['ignore', 'pipe', 'pipe'] }))
}
