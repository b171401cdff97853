// The far end of every benchmark, in its own process (so on the other core, as it would be on a
// colleague's machine): a raw TCP echo server, a bare libp2p echo stream, a causette node, or an
// XMPP client signed in to the bench's prosody that answers every message with a receipt.
// Prints one JSON line {"ready": ...} on stdout, then serves until stdin closes.
import { createServer } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { echo } from '@libp2p/utils'
import { createLibp2p } from 'libp2p'
import { startNode } from '../core/node/node.js'
import { ECHO_PROTOCOL } from './peer.js'
import { answerWithReceipts, fullJid, signIn, trustCertificate, type XmppPeerOptions } from './xmpp.js'

async function serve (mode: string, options: unknown): Promise<{ ready: Record<string, unknown>, stop: () => Promise<void> }> {
  if (mode === 'tcp') {
    const server = createServer(socket => { socket.setNoDelay(true); socket.pipe(socket) })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    return { ready: { port }, stop: async () => { server.close() } }
  }
  if (mode === 'libp2p') {
    const node = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()]
    })
    await node.handle(ECHO_PROTOCOL, (stream) => { void echo(stream) })
    return { ready: { address: node.getMultiaddrs()[0]!.toString() }, stop: async () => { await node.stop() } }
  }
  if (mode === 'causette') {
    const home = await mkdtemp(join(tmpdir(), 'causette-bench-'))
    const node = await startNode({ home, name: 'receiver', port: 0, listenHost: '127.0.0.1', mdns: false })
    return {
      ready: { address: node.addresses()[0], peerId: node.peerId },
      stop: async () => { await node.stop(); await rm(home, { recursive: true, force: true }) }
    }
  }
  if (mode === 'xmpp') {
    const { certificatePem, ...signInOptions } = options as XmppPeerOptions
    trustCertificate(certificatePem)
    const xmpp = await signIn(signInOptions)
    answerWithReceipts(xmpp)
    return { ready: { jid: fullJid(signInOptions, signInOptions.account) }, stop: async () => { await xmpp.stop() } }
  }
  throw new Error(`unknown mode ${mode}`)
}

const { ready, stop } = await serve(process.argv[2] ?? '', JSON.parse(process.argv[3] ?? '{}'))
process.stdout.write(JSON.stringify({ ready }) + '\n')
process.stdin.resume()
process.stdin.on('end', () => { void stop().then(() => process.exit(0)) })
