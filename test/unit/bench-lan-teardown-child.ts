// A bench part's process that has made its teardown (bench/lan-teardown.ts) and is then stopped by a
// signal while it waits (run by bench-lan.test.ts): its step must run before the process ends.
import { benchTeardown } from '../../bench/lan-teardown.js'

const teardown = benchTeardown()
teardown.after(async () => { process.stdout.write('removed\n') })
process.stdout.write('ready\n')
setInterval(() => {}, 60_000) // a measure under way
