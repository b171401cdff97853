// Entry point of test/helpers/node-process.ts: node-main.ts <home> [peer...]
import { startNode } from '../../core/node/node.js'

const [home, ...peers] = process.argv.slice(2)
const node = await startNode({ home: home!, name: 'receiver', port: 0, listenHost: '127.0.0.1', mdns: false, peers })
process.stdout.write(JSON.stringify({ peerId: node.peerId, address: node.addresses()[0] }) + '\n')
process.on('SIGTERM', () => { void node.stop().then(() => process.exit(0)) })
