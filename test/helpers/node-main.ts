// Entry point of test/helpers/node-process.ts: node-main.ts <home> [--events] [peer...]
// Prints its PeerId and loopback address as one JSON line; with --events, then every event of the
// node as one JSON line each (a test reads them: the node is in another process).
import { startNode } from '../../core/node/node.js'

const [home, ...rest] = process.argv.slice(2)
const printEvents = rest.includes('--events')
const peers = rest.filter(arg => arg !== '--events')
const node = await startNode({ home: home!, name: 'receiver', port: 0, listenHost: '127.0.0.1', mdns: false, peers })
process.stdout.write(JSON.stringify({ peerId: node.peerId, address: node.addresses()[0] }) + '\n')
if (printEvents) node.events.subscribe(undefined, ({ event }) => { process.stdout.write(JSON.stringify(event) + '\n') })
process.on('SIGTERM', () => { void node.stop().then(() => process.exit(0)) })
