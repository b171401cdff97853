// The options every command takes (--home, --json, --help/-h, --version/-v) are taken from anywhere
// on the line, but only as whole arguments: a channel id or a message that starts with a dash is the
// command's, and so is a dash-led value for the command (command-args.ts). A random channel id that
// started with "-h" printed the usage instead of sending; one with "-" was refused as an option.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli } from '../../core/cli/run.js'

async function run (args: string[]): Promise<{ code: number, out: string, err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, { out: line => out.push(line), err: line => err.push(line), env: {} })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

test('an argument that starts with -h or -v goes to the command, not to help or version', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'causette-cli-options-'))
  t.after(async () => { await rm(home, { recursive: true, force: true }) })
  for (const args of [['channel', 'send', '-hQ3xUv', 'first draft'], ['send', 'bob', '-v'.concat('erbose?')], ['messages', '--with', '-hv'],
    // A "-" inside a dash-led id once expanded to "--" and hid the --json after it (CI, stop 18).
    ['channel', 'react', 'UOksr4Ij7UA4pWLIMi0UnhCGS_0Bwvp8jd4Mr8He_gM', '-vP7olqatJ1A3v17hKZdFpY-SJafRzzJfJnR9Lwi2tc', '🎉']]) {
    const result = await run([...args, '--home', home, '--json'])
    // No daemon runs on this profile: the command itself answered, so it got its arguments.
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.out}`)
    assert.match(result.err, /running/, args.join(' '))
    assert.equal(result.out, '')
  }
})

test('-h, -v, --help and --version, --home DIR and --home=DIR still count anywhere on the line', async () => {
  assert.match((await run(['channel', 'send', '-h'])).out, /^causette channel/)
  assert.match((await run(['status', '-v'])).out, /^causette \d/)
  assert.match((await run(['--version', '--json'])).out, /^\{"version"/)
  for (const home of [['--home=/nonexistent/causette'], ['--home', '/nonexistent/causette']]) {
    assert.match((await run(['status', ...home])).err, /running for profile \/nonexistent\/causette/)
  }
})
