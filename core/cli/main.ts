// The `causette` command's entry point (bin/causette.js runs its compiled form).
import { runCli } from './run.js'

const code = await runCli(process.argv.slice(2), {
  out: line => { process.stdout.write(`${line}\n`) },
  err: line => { process.stderr.write(`${line}\n`) },
  env: process.env
})
// Exit now rather than when the last timer of a stopped node runs out; stdout and stderr are
// synchronous for files and pipes on Linux, so nothing printed is lost.
process.exit(code)
