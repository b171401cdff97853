// A causette node in a child process, for tests that kill it: `spawnNode(home)` starts
// test/helpers/node-main.ts and resolves with its PeerId and loopback address.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { TestContext } from 'node:test'

export interface NodeProcess { peerId: string, address: string, child: ChildProcess, kill: (signal: NodeJS.Signals) => Promise<void> }

export async function spawnNode (t: TestContext, home: string, peers: string[] = []): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./node-main.ts', import.meta.url).pathname, home, ...peers], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>(resolve => child.once('exit', () => { resolve() }))
  t.after(async () => { if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited } })
  const ready = await new Promise<{ peerId: string, address: string }>((resolve, reject) => {
    child.once('exit', code => { reject(new Error(`node process exited early (${code})`)) })
    createInterface({ input: child.stdout! }).once('line', line => { resolve(JSON.parse(line)) })
  })
  return { ...ready, child, kill: async (signal) => { child.kill(signal); await exited } }
}
