// A socket's writes of one tick as one system call. The node emits a message's events together (a
// message, its conversation, a state change; a group commit's messages at once), and `ws` writes each
// frame on its own: three or more writes a message on the event stream, each a trip through the
// kernel's loopback path paid by the node. Corked until the tick's end, they leave in one `writev`;
// nothing waits for a later turn of the event loop.
import type { Writable } from 'node:stream'

/** Returns what to call before each write: the first of a tick corks `socket`, and the tick's end uncorks it. */
export function oneWritePerTick (socket: Writable | undefined): () => void {
  if (socket === undefined) return () => {}
  let corked = false
  const uncork = (): void => {
    corked = false
    socket.uncork()
  }
  return () => {
    if (corked) return
    corked = true
    socket.cork()
    process.nextTick(uncork)
  }
}
