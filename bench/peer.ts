// Starts bench/peer-process.ts in a child process and waits for its ready line.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

export const ECHO_PROTOCOL = '/bench/echo/1.0.0'

export interface Peer<T> { ready: T, pid: number, stop: () => Promise<void> }

/** `options` reach the peer as one JSON argument (the XMPP peer's server and account). */
export async function startPeer<T> (mode: 'tcp' | 'libp2p' | 'causette' | 'xmpp', options: object = {}): Promise<Peer<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./peer-process.ts', import.meta.url).pathname, mode, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const ready = await new Promise<T>((resolve, reject) => {
    child.once('exit', code => { reject(new Error(`bench peer (${mode}) exited with ${code}`)) })
    lines.once('line', line => { resolve((JSON.parse(line) as { ready: T }).ready) })
  })
  return {
    ready,
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.stdin.end()
      await exited
    }
  }
}
