// The entry point of the tests' stand-in executables (test/helpers/swap-executables.ts): the real
// `causette` CLI; when CAUSETTE_TEST_RELEASE names a release (JSON: version, target, path, sha256),
// the node, once running, hands it to the swap installer, as the update service will, and writes
// what came of it to CAUSETTE_TEST_RELEASE_RESULT.
import { readFile, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { readApiFile } from '../../core/api/api-file.js'
import { runCli } from '../../core/cli/run.js'
import { codedError } from '../../core/errors.js'
import { resolveHome } from '../../core/profile/files.js'
import { createSwapInstaller } from '../../core/update/swap/installer.js'
import { ALWAYS_QUIET } from '../../core/update/swap/quiet-moment.js'
import type { VerifiedRelease } from '../../core/update/installer.js'
import { requestRestart } from '../../core/update/swap/restart-request.js'
import { swapSetupFor } from '../../core/update/swap/swap-setup.js'

const releaseFile = process.env.CAUSETTE_TEST_RELEASE
const resultFile = process.env.CAUSETTE_TEST_RELEASE_RESULT
// Only this process installs: the executables it restarts on inherit its environment.
delete process.env.CAUSETTE_TEST_RELEASE
delete process.env.CAUSETTE_TEST_RELEASE_RESULT

const args = process.argv.slice(2)
if (releaseFile !== undefined && resultFile !== undefined) void installWhenRunning(releaseFile, resultFile)
const code = await runCli(args, {
  out: line => { process.stdout.write(`${line}\n`) },
  err: line => { process.stderr.write(`${line}\n`) },
  env: process.env
})
process.exit(code)

async function installWhenRunning (release: string, result: string): Promise<void> {
  const home = resolveHome(args[args.indexOf('--home') + 1])
  while ((await readApiFile(home))?.pid !== process.pid) await sleep(50)
  const setup = swapSetupFor(home)
  const installer = createSwapInstaller({ paths: setup.paths, currentVersion: 'old', trialMs: setup.trialMs, quiet: ALWAYS_QUIET, requestRestart })
  try {
    await installer.install(JSON.parse(await readFile(release, 'utf8')) as VerifiedRelease)
    await writeFile(result, JSON.stringify({ ok: true }))
  } catch (error) {
    await writeFile(result, JSON.stringify({ ok: false, code: codedError(error)?.code, message: (error as Error).message }))
  }
}
