// The `causette` command as a user runs it: bin/causette.js over the compiled dist/, which `npm test`
// builds before any test. Tests start hundreds of CLI processes, and one through tsx costs about
// twice the CPU of the compiled one (0.8 s against 0.4 here: tsx's loader hooks see every module).
// A dist/ older than the code would test old code, so the first use checks and says what to run.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { newestFile } from './source-times.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** What tsconfig.build.json compiles into dist/. */
const SOURCE_FOLDERS = ['core', 'crypto', 'discovery']
const BUILT_MAIN = join(ROOT, 'dist/core/cli/main.js')
export const CLI_BIN = join(ROOT, 'bin/causette.js')

let checked = false

/** Fails, saying what to run, unless dist/ was built after the last change to the code it compiles. */
export function assertBuilt (): void {
  if (checked) return
  const builtAt = (() => { try { return statSync(BUILT_MAIN).mtimeMs } catch { return undefined } })()
  if (builtAt === undefined) throw new Error('dist/ is not built: run `npm run build:node` (npm test does) before this test')
  const newest = newestFile(ROOT, SOURCE_FOLDERS, { suffix: '.ts' })
  if (newest.time > builtAt) throw new Error(`dist/ is older than ${newest.file}: run \`npm run build:node\` (npm test does) before this test`)
  checked = true
}

/** Node's arguments that run the `causette` command: the compiled one, checked current. */
export function cliArgs (): string[] {
  assertBuilt()
  return [CLI_BIN]
}
