// A bench child process that talks in lines: one question a line on its stdin, its answers a line
// each on its stdout, read in turn; an exit before an answer fails the wait rather than hanging it.
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface ChildLines {
  /** The next line the child prints. */
  next: () => Promise<string>
  send: (line: string) => void
  /** Closes its stdin (the bench children then stop) and waits for its exit. */
  end: () => Promise<void>
}

/** `child` must have been spawned with its stdin and stdout piped. */
export function childLines (child: ChildProcess, name: string): ChildLines {
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  const exited = new Promise(resolve => child.once('exit', resolve))
  return {
    next: async () => {
      const line = await Promise.race([lines.next(), exited.then(() => { throw new Error(`${name} exited`) })])
      if (line.done === true) throw new Error(`${name} closed its output`)
      return line.value
    },
    send: line => { child.stdin!.write(line + '\n') },
    end: async () => { child.stdin!.end(); await exited }
  }
}
