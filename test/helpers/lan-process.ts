// A process started inside a LAN host that talks in JSON lines: one object per stdout line from
// it, one per stdin line to it. Tests wait for the message they expect, with a bounded wait.
import { createInterface } from 'node:readline'
import type { ChildProcess } from 'node:child_process'
import { cliArgs } from './built-cli.js'
import { underLoad } from './deadline.js'
import type { LanHost } from './netns.js'

export type LineMessage = Record<string, unknown>

/**
 * How long a process may take to print a line a test waits for. Waiting returns as soon as the line
 * comes, so this is only an upper bound, generous for a loaded CI machine: a daemon's start is mostly
 * CPU (tsx and libp2p load in ~1.5 s alone; four daemons started at once next to two busy loops took
 * ~10 s each, before any join), and 20 s was seen to run out during a whole-suite run.
 */
export const LINE_TIMEOUT_MS = underLoad(30_000)

export class LanProcess {
  readonly received: LineMessage[] = []
  #stderr = ''
  readonly #waiters = new Set<() => void>()
  #exit: string | undefined

  constructor (readonly host: LanHost, readonly child: ChildProcess) {
    child.stderr?.on('data', (chunk: Buffer) => { this.#stderr = (this.#stderr + chunk.toString()).slice(-4_000) })
    createInterface({ input: child.stdout! }).on('line', line => {
      try {
        this.received.push(JSON.parse(line) as LineMessage)
      } catch {
        this.#stderr += `\n[stdout] ${line}`
      }
      this.#wake()
    })
    child.once('exit', (code, signal) => {
      this.#exit = `exited with ${signal ?? `code ${String(code)}`}`
      this.#wake()
    })
  }

  /**
   * Sends `signal` and resolves once the process has exited (at once if it already has). A process
   * still running `timeoutMs` later is killed (SIGKILL) and the call fails, saying so.
   */
  async stop (signal: NodeJS.Signals, timeoutMs = 30_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise(resolve => this.child.once('exit', resolve))
    this.child.kill(signal)
    let timer: NodeJS.Timeout | undefined
    const hung = await Promise.race([exited.then(() => false), new Promise<boolean>(resolve => { timer = setTimeout(() => { resolve(true) }, timeoutMs) })])
    clearTimeout(timer)
    if (!hung) return
    this.child.kill('SIGKILL')
    await exited
    throw this.#failure(`its exit after ${signal}`, `still running ${timeoutMs} ms later (killed with SIGKILL)`)
  }

  send (message: Record<string, unknown>): void {
    this.child.stdin?.write(JSON.stringify(message) + '\n')
  }

  /** The first message (already received or to come) that `matches`; fails on timeout or exit. */
  async next (what: string, matches: (message: LineMessage) => boolean, timeoutMs = LINE_TIMEOUT_MS): Promise<LineMessage> {
    return await new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.received.find(matches)
        if (found != null) return done(() => { resolve(found) })
        if (this.#exit != null) return done(() => { reject(this.#failure(what, this.#exit!)) })
      }
      const timer = setTimeout(() => { done(() => { reject(this.#failure(what, `no answer in ${timeoutMs} ms`)) }) }, timeoutMs)
      const done = (settle: () => void): void => {
        clearTimeout(timer)
        this.#waiters.delete(check)
        settle()
      }
      this.#waiters.add(check)
      check()
    })
  }

  #wake (): void {
    for (const waiter of [...this.#waiters]) waiter()
  }

  #failure (what: string, why: string): Error {
    return new Error(`${this.host.name} (${this.host.address}): waiting for ${what}: ${why}\n${this.#stderr}`)
  }
}

export const REPO_ROOT = new URL('../..', import.meta.url).pathname

/** Runs a TypeScript file (path from the repository root) with tsx inside `host`. */
export function spawnTsx (host: LanHost, script: string, args: string[] = []): LanProcess {
  return spawnNode(host, ['--import', 'tsx', script, ...args])
}

/** Runs the `causette` command (compiled, as a user runs it) inside `host`. */
export function spawnCli (host: LanHost, args: string[]): LanProcess {
  return spawnNode(host, [...cliArgs(), ...args])
}

/** Runs the `causette` command inside `host` to completion; resolves with its stdout. */
export async function execCli (host: LanHost, args: string[]): Promise<string> {
  return (await host.exec(process.execPath, [...cliArgs(), ...args], { cwd: REPO_ROOT })).stdout
}

function spawnNode (host: LanHost, args: string[]): LanProcess {
  return new LanProcess(host, host.spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] }))
}
