// A causette node in a child process, for tests that kill or freeze it: `spawnNode(home)` starts
// test/helpers/node-main.ts and resolves with its PeerId and loopback address. It is killed before
// its home is removed (nodes.ts, stopBeforeRemoving) and at the end of the test.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { TestContext } from 'node:test'
import type { NodeEvent } from '../../core/api/schema.js'
import { stopBeforeRemoving } from './nodes.js'

export interface NodeProcess {
  peerId: string
  address: string
  child: ChildProcess
  /** The node's events as it printed them, with `events: true`; empty otherwise. */
  events: NodeEvent[]
  kill: (signal: NodeJS.Signals) => Promise<void>
}

export interface SpawnOptions {
  /** The child prints every event of its node, gathered in `events`. */
  events?: boolean
}

export async function spawnNode (t: TestContext, home: string, peers: string[] = [], options: SpawnOptions = {}): Promise<NodeProcess> {
  const args = [new URL('./node-main.ts', import.meta.url).pathname, home, ...(options.events === true ? ['--events'] : []), ...peers]
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>(resolve => child.once('exit', () => { resolve() }))
  const killed = async (): Promise<void> => { if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited } }
  stopBeforeRemoving(home, killed)
  t.after(killed)
  const events: NodeEvent[] = []
  const ready = await new Promise<{ peerId: string, address: string }>((resolve, reject) => {
    child.once('exit', code => { reject(new Error(`node process exited early (${code})`)) })
    let first = true
    createInterface({ input: child.stdout! }).on('line', line => {
      if (first) resolve(JSON.parse(line))
      else if (options.events === true && line.startsWith('{')) events.push(JSON.parse(line) as NodeEvent)
      first = false
    })
  })
  return { ...ready, child, events, kill: async (signal) => { child.kill(signal); await exited } }
}
