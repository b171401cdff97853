// The real `causette` command as a user runs it: one-shot commands (`causette(...)`) and daemons
// (`causette start --json` in the background, killed when the test ends).
import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { TestContext } from 'node:test'
import { cliArgs } from './built-cli.js'
import { stopBeforeRemoving, tempHome } from './nodes.js'


export interface Result { code: number, stdout: string, stderr: string }

export async function causette (...args: string[]): Promise<Result> {
  return await new Promise(resolve => {
    execFile(process.execPath, [...cliArgs(), ...args], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr })
    })
  })
}

export async function causetteJson<T> (...args: string[]): Promise<T> {
  const result = await causette(...args, '--json')
  assert.equal(result.code, 0, result.stderr)
  return JSON.parse(result.stdout) as T
}

export interface Daemon {
  process: ChildProcess
  home: string
  peerId: string
  addresses: string[]
  appUrl: string
  /** What the daemon wrote on stderr (its log) so far. */
  log: () => string
}

/** `causette start --json` in the background; resolves once it printed where it runs. */
export async function startDaemon (t: TestContext, name: string, { home, extra = [] }: { home?: string, extra?: string[] } = {}): Promise<Daemon> {
  home ??= await tempHome(t, `causette-cli-${name}-`)
  const child = spawn(process.execPath, [...cliArgs(), 'start', '--home', home, '--name', name, '--port', '0', '--api-port', '0',
    '--listen', '127.0.0.1', '--no-mdns', '--no-desktop-notifications', '--json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] })
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGKILL')
    await exited
  }
  stopBeforeRemoving(home, kill)
  t.after(kill)
  let log = ''
  child.stderr!.setEncoding('utf8').on('data', (text: string) => { log += text; process.stderr.write(text) })
  const [line] = await once(createInterface({ input: child.stdout! }), 'line') as [string]
  const { peerId, addresses, appUrl } = JSON.parse(line) as { peerId: string, addresses: string[], appUrl: string }
  return { process: child, home, peerId, addresses, appUrl, log: () => log }
}

/** SIGTERM, then the exit code. */
export async function stopDaemon (daemon: Daemon): Promise<number> {
  daemon.process.kill('SIGTERM')
  const [code] = await once(daemon.process, 'exit') as [number]
  return code
}
