// The release executables: each file's size and its zip's, what people download (the goal: under 60 MB),
// and, for linux-x64 run alone from an empty folder with no node on PATH, the cold start to "the app
// answers" (HTTP 200 from the app URL) and the idle RSS; the same two from source (dist/, on this
// machine's Node) beside them.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { packageRelease } from '../scripts/package/package-release.js'
import { rssBytesOf } from './proc.js'
import { median } from './stats.js'
import { installTools, type Unavailable } from './tools.js'

const ROOT = join(import.meta.dirname, '..')
/** The node is idle this long before its memory is read: its start-up work (dials, timers) is done. */
const SETTLE_MS = 5_000

export interface ExecutableFigures {
  buildSeconds: number
  files: Array<{ target: string, file: string, bytes: number, downloadBytes: number }>
  /** linux-x64 executable: spawn to HTTP 200 from the app, ms. First: a new profile and an empty cache. */
  coldStartFirstMs: number
  coldStartMs: number
  idleRssBytes: number
  /** The same from source: node bin/causette.js on this machine's Node. */
  fromSourceColdStartMs: number
  fromSourceIdleRssBytes: number
}

export async function benchExecutables ({ restarts = 3, log = (_: string) => {} }: { restarts?: number, log?: (line: string) => void } = {}): Promise<ExecutableFigures | Unavailable> {
  const missing = await installTools('llvm-strip')
  if (missing !== undefined) return { unavailable: `llvm-strip (npm run package) could not be installed: ${missing}` }
  const work = await mkdtemp(join(tmpdir(), 'causette-bench-release-'))
  try {
    const started = performance.now()
    const manifest = await packageRelease({ root: ROOT, targets: ['linux-x64', 'linux-arm64', 'win-x64', 'darwin-arm64', 'darwin-x64'], version: '0.1.0', outDir: join(work, 'release'), downloads: true, log })
    const buildSeconds = (performance.now() - started) / 1000
    const files = []
    for (const entry of manifest.files) files.push({ target: entry.target, file: entry.file, bytes: entry.size, downloadBytes: entry.download!.size })

    const desk = join(work, 'desk')
    for (const folder of ['bin', 'home', 'empty-path']) await mkdir(join(desk, folder), { recursive: true })
    const executable = join(desk, 'bin', 'causette')
    await copyFile(join(work, 'release', manifest.files.find(entry => entry.target === 'linux-x64')!.file), executable)
    const env = { PATH: join(desk, 'empty-path'), HOME: join(desk, 'home') }
    const first = await startOnce([executable], env, false)
    const runs = []
    for (let run = 0; run < restarts; run++) runs.push(await startOnce([executable], env, run === restarts - 1))
    const source = []
    const sourceHome = join(work, 'source-home')
    for (let run = 0; run <= restarts; run++) source.push(await startOnce([process.execPath, join(ROOT, 'bin', 'causette.js')], { ...process.env, HOME: sourceHome }, run === restarts))
    return {
      buildSeconds,
      files,
      coldStartFirstMs: first.appMs,
      coldStartMs: median(runs.map(run => run.appMs)),
      idleRssBytes: runs.at(-1)!.idleRssBytes!,
      fromSourceColdStartMs: median(source.slice(1).map(run => run.appMs)),
      fromSourceIdleRssBytes: source.at(-1)!.idleRssBytes!
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** Starts the node (loopback only, no mDNS), times spawn to the app's HTTP 200, optionally reads its idle RSS, stops it. */
async function startOnce (command: string[], env: NodeJS.ProcessEnv, readRss: boolean): Promise<{ appMs: number, idleRssBytes?: number }> {
  const started = performance.now()
  const child = spawn(command[0]!, [...command.slice(1), 'start', '--no-mdns', '--listen', '127.0.0.1', '--port', '0', '--api-port', '0', '--json'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    const [line] = await once(createInterface({ input: child.stdout }), 'line') as [string]
    const { url } = JSON.parse(line) as { url: string }
    while ((await fetch(url).catch(() => undefined))?.status !== 200) await sleep(5)
    const appMs = performance.now() - started
    if (!readRss) return { appMs }
    await sleep(SETTLE_MS)
    return { appMs, idleRssBytes: rssBytesOf(child.pid!) }
  } finally {
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    await exited
  }
}


