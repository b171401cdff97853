// Run as a child process: opens TCP connections to 127.0.0.1:<port> at <rate> a second, spread over
// <hosts> loopback source addresses (127.0.1.1, 127.0.1.2...: each under the per-host limit), and
// never sends a byte on them: each holds one of the node's pending-handshake slots until the node
// gives up on it. Runs until killed.
//   node --import tsx test/helpers/stalled-connections.ts <port> <rate> <hosts>
import { connect } from 'node:net'

const [port, rate, hosts] = process.argv.slice(2).map(Number)
let next = 0
setInterval(() => {
  for (let i = 0; i < rate / 10; i++) {
    const localAddress = `127.0.1.${1 + (next++ % hosts)}`
    const socket = connect({ host: '127.0.0.1', port, localAddress })
    socket.on('error', () => {})
  }
}, 100)
