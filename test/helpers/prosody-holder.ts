// Starts the bench's prosody in its own process and prints {"pid", "directory"}; then, as told by
// its argument, waits for a signal ("wait") or crashes with an uncaught error ("crash"). The test
// checks that neither leaves the server or its directory behind.
import { startProsody } from '../../bench/prosody.js'

const started = await startProsody()
if ('unavailable' in started) throw new Error(started.unavailable)
process.stdout.write(JSON.stringify({ pid: started.server.pid, directory: started.server.directory }) + '\n')
if (process.argv[2] === 'crash') setImmediate(() => { throw new Error('the holder crashes on purpose') })
else setInterval(() => {}, 60_000)
