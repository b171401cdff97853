// The first byte on screen of an image (issue 16's goal: under 100 ms on loopback): a sender node in
// another process (bench/image-sender.ts) sends an image with its preview; this process's node is the
// recipient. Measured at the recipient, from its `message` event (the message stored and shown) to
// the `attachment` event that says the preview is held (the app can draw it), and from the sender's
// send() call to that same event. The full image is fetched before the next round, and images are
// a second apart (PACER_CLEAR_MS).
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { AttachmentView } from '../core/api/schema.js'
import { startNode } from '../core/node/node.js'
import { latency, type Latency } from './stats.js'

export interface ImagePreviewOptions {
  /** Images sent, one at a time; default 10. */
  images?: number
  /** Bytes of each image and of its preview; default 1 MiB and 20 KB (a 320 px WebP). */
  imageBytes?: number
  previewBytes?: number
  log?: (line: string) => void
}

export interface ImagePreviewFigures {
  images: number
  imageBytes: number
  previewBytes: number
  /** The message shown at the recipient until its preview is held. */
  shownToPreview: Latency & { maxMs: number }
  /** The sender's send() until the preview is held at the recipient. */
  sentToPreview: Latency & { maxMs: number }
}

const wallClock = (): number => performance.timeOrigin + performance.now()
const ROUND_DEADLINE_MS = 60_000
/**
 * The pause between images: the recipient paces the file streams it opens to one peer (a token
 * bucket at half the peer's limit, core/node/stream-pacer.ts) and each image takes two (its list and
 * its chunks on one stream, for the preview and for the image; four before FileRequest.then_chunks),
 * so many images back to back would measure that pacing, not one image's way.
 */
const PACER_CLEAR_MS = 1_100

/** Whether `attachment` says the preview `previewId` is held (the event of the preview, or of its image). */
function previewHeld (attachment: AttachmentView, previewId: string): boolean {
  return (attachment.id === previewId && attachment.state === 'held') || (attachment.preview?.id === previewId && attachment.preview.state === 'held')
}

async function until (done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + ROUND_DEADLINE_MS
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`image bench: ${what} not seen within ${ROUND_DEADLINE_MS} ms`)
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

export async function benchImagePreview (options: ImagePreviewOptions = {}): Promise<ImagePreviewFigures> {
  const images = options.images ?? 10
  const imageBytes = options.imageBytes ?? 2 ** 20
  const previewBytes = options.previewBytes ?? 20_000
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./image-sender.ts', import.meta.url).pathname, String(imageBytes), String(previewBytes)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const exited = new Promise(resolve => child.once('exit', resolve))
  const nextLine = async <T>(): Promise<T> => {
    const line = await Promise.race([lines.next(), exited.then(() => { throw new Error('the image bench sender exited') })])
    if (line.done === true) throw new Error('the image bench sender closed its output')
    return JSON.parse(line.value) as T
  }
  const sender = await nextLine<{ address: string, peerId: string }>()
  const home = await mkdtemp(join(tmpdir(), 'causette-bench-image-'))
  const recipient = await startNode({ home, name: 'recipient', port: 0, listenHost: '127.0.0.1', mdns: false, peers: [sender.address] })
  const shownAt = new Map<string, number>()
  const previewAt = new Map<string, number>()
  const heldIds = new Set<string>()
  recipient.events.subscribe(undefined, ({ event }) => {
    const at = wallClock()
    if (event.type === 'message') shownAt.set(event.message.id, at)
    if (event.type !== 'attachment') return
    const { attachment } = event
    if (attachment.state === 'held') heldIds.add(attachment.id)
    for (const id of [attachment.id, attachment.preview?.id]) {
      if (id !== undefined && !previewAt.has(id) && previewHeld(attachment, id)) previewAt.set(id, at)
    }
  })
  try {
    const deadline = Date.now() + ROUND_DEADLINE_MS
    while (!(await recipient.peers()).some(peer => peer.peerId === sender.peerId && peer.connected)) {
      if (Date.now() > deadline) throw new Error('image bench: the sender never connected')
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    const shown: number[] = []
    const sent: number[] = []
    for (let round = 0; round < images; round++) {
      options.log?.(`image bench: image ${round + 1} of ${images}`)
      child.stdin.write(JSON.stringify({ to: recipient.peerId }) + '\n')
      const message = await nextLine<{ id: string, imageId: string, previewId: string, sentAt: number }>()
      await until(() => shownAt.has(message.id) && previewAt.has(message.previewId), 'the preview held')
      shown.push(previewAt.get(message.previewId)! - shownAt.get(message.id)!)
      sent.push(previewAt.get(message.previewId)! - message.sentAt)
      await until(() => heldIds.has(message.imageId), 'the image held')
      await new Promise(resolve => setTimeout(resolve, PACER_CLEAR_MS))
    }
    const withMax = (samples: number[]): Latency & { maxMs: number } => ({ ...latency(samples), maxMs: Math.round(Math.max(...samples) * 1000) / 1000 })
    return { images, imageBytes, previewBytes, shownToPreview: withMax(shown), sentToPreview: withMax(sent) }
  } finally {
    await recipient.stop()
    child.stdin.end()
    await exited
    await rm(home, { recursive: true, force: true })
  }
}

export function printImagePreviewFigures (figures: ImagePreviewFigures): void {
  console.log(`\nan image's first byte on screen, ${figures.images} images of ${(figures.imageBytes / 2 ** 20).toFixed(1)} MiB with a ${Math.round(figures.previewBytes / 1000)} KB preview, sender in another process   p50 ms    p99 ms    max ms`)
  const line = (name: string, f: Latency & { maxMs: number }): string => `  ${name.padEnd(66)} ${f.p50Ms.toFixed(1).padStart(8)} ${f.p99Ms.toFixed(1).padStart(9)} ${f.maxMs.toFixed(1).padStart(9)}`
  console.log(line('recipient: message shown until its preview is held (goal < 100)', figures.shownToPreview))
  console.log(line('sender\'s send() until the preview is held at the recipient', figures.sentToPreview))
}
