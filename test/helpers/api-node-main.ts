// Entry point of a node with its local API in a child process (started under a file-handle limit by
// test/integration/api-limits.test.ts, killed by test/integration/send-retry.test.ts):
// api-node-main.ts <home> [peer...]. Prints its PeerId, its loopback address, the API's URL and its
// token as one JSON line once both listen.
import { startApiServer } from '../../core/api/server.js'
import { startNode } from '../../core/node/node.js'

const [home, ...peers] = process.argv.slice(2)
const node = await startNode({ home: home!, name: 'alice', port: 0, listenHost: '127.0.0.1', mdns: false, peers })
const api = await startApiServer({ node, home: home!, port: 0, uiDir: undefined })
process.stdout.write(JSON.stringify({ peerId: node.peerId, address: node.addresses()[0], apiUrl: api.url, token: api.token }) + '\n')
process.on('SIGTERM', () => { void api.close().then(async () => { await node.stop() }).then(() => process.exit(0)) })
