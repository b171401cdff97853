// The sender of the image bench (bench/image-preview.ts), in its own process: a causette node that,
// for each line `{"to": <peerId>}` on stdin, stages an image and its preview (random bytes: the node
// never decodes them) and sends them in one message, then prints {id, previewId, imageId, sentAt}
// (sentAt on the wall clock in ms, comparable across processes). First prints {address, peerId}.
// Run by bench/image-preview.ts:  node --import tsx bench/image-sender.ts <imageBytes> <previewBytes>
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { startNode, type CausetteNode } from '../core/node/node.js'

async function * once (bytes: Uint8Array): AsyncGenerator<Uint8Array> { yield bytes }

async function sendImage (node: CausetteNode, to: string, imageBytes: number, previewBytes: number): Promise<object> {
  const image = await node.stageFile({ name: 'photo.jpg', type: 'image/jpeg', content: once(randomBytes(imageBytes)) })
  const preview = await node.stageFile({ name: 'photo.webp', type: 'image/webp', content: once(randomBytes(previewBytes)) })
  const sentAt = performance.timeOrigin + performance.now()
  const sent = await node.send(to, '', { attachments: [{ file: image.id, preview: preview.id, width: 4000, height: 3000 }] })
  const attachment = sent.attachments![0]!
  return { id: sent.id, imageId: attachment.id, previewId: attachment.preview!.id, sentAt }
}

const [imageBytes, previewBytes] = process.argv.slice(2).map(Number) as [number, number]
const home = await mkdtemp(join(tmpdir(), 'causette-bench-image-'))
const node = await startNode({ home, name: 'sender', port: 0, listenHost: '127.0.0.1', mdns: false })
process.stdout.write(JSON.stringify({ address: node.addresses()[0], peerId: node.peerId }) + '\n')
const lines = createInterface({ input: process.stdin })
lines.on('line', line => {
  const { to } = JSON.parse(line) as { to: string }
  void sendImage(node, to, imageBytes, previewBytes).then(sent => { process.stdout.write(JSON.stringify(sent) + '\n') })
})
lines.on('close', () => { void node.stop().then(async () => { await rm(home, { recursive: true, force: true }); process.exit(0) }) })
