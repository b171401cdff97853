// Stand-in executables for the swap tests: shell scripts that note "<label> <pid>" in a marks file,
// then exec the real CLI (test/helpers/swap-node.ts), or play a broken release that exits or hangs
// before any code of ours runs. The pid noted is the node's own: exec keeps it.
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { VerifiedRelease } from '../../core/update/installer.js'
import { eventually } from './nodes.js'

const ENTRY = fileURLToPath(new URL('./swap-node.ts', import.meta.url))
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url))

export type Behaviour = 'runs' | 'exits' | 'hangs'

/** A script's text; `label` tells which one ran (the versions of these tests). */
export function standIn (label: string, behaviour: Behaviour, marks: string): string {
  const run = {
    // CAUSETTE_EXECUTABLE: this script is what the node swaps and restarts on (in the field: process.execPath).
    runs: `CAUSETTE_EXECUTABLE="$0" exec '${process.execPath}' --import '${TSX}' '${ENTRY}' "$@"`,
    exits: 'exit 3',
    hangs: 'exec sleep 100000'
  }[behaviour]
  return `#!/bin/sh\n# causette stand-in: ${label}\necho "${label} $$" >> '${marks}'\n${run}\n`
}

export async function writeStandIn (path: string, label: string, behaviour: Behaviour, marks: string): Promise<void> {
  await writeFile(path, standIn(label, behaviour, marks), { mode: 0o755 })
}

/** Writes a release file and its description as the update service would hand it over. */
export async function writeRelease (dir: string, label: string, behaviour: Behaviour, marks: string): Promise<{ release: VerifiedRelease, file: string }> {
  const path = join(dir, `release-${label}`)
  await writeStandIn(path, label, behaviour, marks)
  const sha256 = createHash('sha256').update(await readFile(path)).digest('hex')
  const release = { version: label, target: 'linux-x64', path, sha256 }
  const file = join(dir, `release-${label}.json`)
  await writeFile(file, JSON.stringify(release))
  return { release, file }
}

/** The marks file as [label, pid] pairs, in the order the scripts ran. */
export async function readMarks (marks: string): Promise<Array<[string, number]>> {
  const text = await readFile(marks, 'utf8').catch(() => '')
  return text.split('\n').filter(line => line !== '').map(line => {
    const [label, pid] = line.split(' ')
    return [label as string, Number(pid)]
  })
}

/** SIGTERM, then waits until the process is gone. */
export async function stopPid (pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM')
  await eventually(() => isAlive(pid) ? undefined : true, 30_000, `process ${pid} to stop`)
}

export function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
