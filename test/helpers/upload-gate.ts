// Holds the files a daemon's node takes (POST /files), as a node that stops reading would (a disk
// that hangs, a node too busy): the browser's upload stops moving with no error, the bytes it sent
// waiting in the connection, until released. It wraps the node's stageFile, which the API calls.
import type { Daemon } from './browser-daemons.js'

export interface UploadGate {
  /** The node reads no more of any upload (from its next chunk on). */
  hold: () => void
  /** It reads again. */
  release: () => void
  /** The node as it was: reads again, and is not wrapped any more. */
  restore: () => void
}

export function uploadGate (daemon: Daemon): UploadGate {
  let opened = Promise.resolve()
  let open = (): void => {}
  async function * gated (content: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of content) {
      await opened
      yield chunk
    }
  }
  const node = daemon.node
  const stageFile = node.stageFile
  node.stageFile = async upload => await stageFile.call(node, { ...upload, content: gated(upload.content) })
  return {
    hold: () => { opened = new Promise(resolve => { open = resolve }) },
    release: () => { open() },
    restore: () => {
      open()
      node.stageFile = stageFile
    }
  }
}
