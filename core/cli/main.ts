// The `causette` command's entry point (bin/causette.js runs its compiled form).
import { runCli } from './run.js'

const args = process.argv.slice(2)
let keepWindowOpen = false
const code = await runCli(args, {
  out: line => { process.stdout.write(`${line}\n`) },
  err: line => { process.stderr.write(`${line}\n`) },
  env: process.env,
  keepWindowOpen: () => { keepWindowOpen = true }
})
// A double-click on Windows runs us in a console window that closes when we exit: keep a failure,
// or what the first run did about installing the program, on screen until the person has read it.
// Settings > Apps runs `uninstall --pause` in such a window too, which asks the same.
const doubleClicked = args.length === 0
if ((keepWindowOpen || (code !== 0 && doubleClicked)) && process.platform === 'win32' && process.stdin.isTTY === true) {
  process.stderr.write('Press Enter to close this window.\n')
  await new Promise(resolve => process.stdin.once('data', resolve))
}
// Exit now rather than when the last timer of a stopped node runs out; stdout and stderr are
// synchronous for files and pipes on Linux, so nothing printed is lost.
process.exit(code)
