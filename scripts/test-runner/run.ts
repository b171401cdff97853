// Runs the integration, LAN and browser test files (npm test's "tests" step), a process per file:
// the busy ones `--concurrency` at a time, longest first (schedule.ts), and beside them the files
// that mostly wait, one at a time. Node's own runner (`node --test`) sorts the files it is
// given, so the longest LAN files started last and one ran on alone at the end; run() keeps the order.
// The busy files' report is printed as it comes; the waiting files' report is held and printed a
// file at a time between two of the busy files' top-level tests, so that no block is cut in two.
// Exits non-zero if any test or file failed.
// Usage: node --import tsx scripts/test-runner/run.ts --concurrency N --timeout MS [--weights FILE] FILE...
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { run } from 'node:test'
import { spec } from 'node:test/reporters'
import { readWeights, schedule } from './schedule.js'

const { values, positionals: files } = parseArgs({
  options: { concurrency: { type: 'string' }, timeout: { type: 'string' }, weights: { type: 'string' } },
  allowPositionals: true
})
const concurrency = Number(values.concurrency)
const timeout = Number(values.timeout)
if (!Number.isInteger(concurrency) || concurrency < 1 || !Number.isInteger(timeout) || timeout < 1 || files.length === 0) {
  console.error('usage: run.ts --concurrency N --timeout MS FILE...')
  process.exit(2)
}

const plan = schedule(files, readWeights(values.weights ?? join(import.meta.dirname, 'weights.txt')))

/** Whether a report's text so far ends outside any top-level block (its last top-level line is a test's end). */
function atTopLevel (text: string): boolean {
  const lines = text.split('\n').filter(line => /^[▶✔✖﹣]/.test(line))
  const last = lines.at(-1)
  return text.endsWith('\n') && (last === undefined || !last.startsWith('▶'))
}

/** A line the report of the waiting files gets at the end of each file (then taken out), so that it is printed a file at a time. */
const FILE_END = '\u2063end of a file\u2063'

/** Runs `list`, `at` files at once; resolves with whether every test passed, the report going to `write`. */
async function runFiles (list: string[], at: number, write: (text: string) => void): Promise<boolean> {
  if (list.length === 0) return true
  let success = false
  const stream = run({ files: list, concurrency: at, timeout })
  stream.on('test:summary', (summary) => { if (summary.file === undefined) success = summary.success })
  const marked = stream.compose(async function * (events: AsyncIterable<{ type: string, data: { file?: string } }>) {
    for await (const event of events) {
      yield event
      if (event.type === 'test:summary' && event.data.file !== undefined) yield { type: 'test:diagnostic', data: { nesting: 0, message: FILE_END, file: event.data.file } }
    }
  })
  for await (const chunk of marked.compose(spec)) write(String(chunk))
  return success
}

/** `text` without its file-end lines, and how much of it comes before the last of them (-1: none). */
function takeFileEnds (text: string): { text: string, ended: number } {
  let ended = -1
  for (let at = text.indexOf(FILE_END); at >= 0; at = text.indexOf(FILE_END)) {
    const lineStart = text.lastIndexOf('\n', at) + 1
    const lineEnd = text.indexOf('\n', at)
    text = text.slice(0, lineStart) + (lineEnd < 0 ? '' : text.slice(lineEnd + 1))
    ended = lineStart
  }
  return { text, ended }
}

let busyTail = ''
let busyDone = false
let held = ''
let heldReady = 0
let restHeaded = false
/** Prints the waiting files' held report between two of the busy files' top-level tests. */
function flushHeld (): void {
  if (heldReady === 0 || !atTopLevel(busyTail)) return
  process.stdout.write(`\n── beside them, files that mostly wait ──\n${held.slice(0, heldReady)}── (the others go on) ──\n\n`)
  held = held.slice(heldReady)
  heldReady = 0
}
/** Once the busy files are done, the waiting files' report as it comes. */
function writeRest (): void {
  if (held === '') return
  if (!restHeaded) process.stdout.write('\n── the files that mostly wait, run beside the others ──\n')
  restHeaded = true
  process.stdout.write(held)
  held = ''
  heldReady = 0
}

const waiting = runFiles(plan.waiting, 1, text => {
  const { text: report, ended } = takeFileEnds(held + text)
  held = report
  if (ended >= 0) heldReady = ended
  if (busyDone) return writeRest()
  flushHeld()
})
const busy = runFiles(plan.busy, concurrency, chunk => {
  const { text } = takeFileEnds(chunk)
  process.stdout.write(text)
  busyTail = (busyTail + text).slice(-4096)
  flushHeld()
}).finally(() => { busyDone = true; writeRest() })
// Stopped (npm test's 45-minute bound): what the waiting files reported is not lost.
process.once('SIGTERM', () => { busyDone = true; heldReady = 0; writeRest(); process.exit(1) })
const [busyPassed, waitingPassed] = await Promise.all([busy, waiting])
console.log(`\nℹ files: ${plan.busy.length} at ${concurrency} at once, ${plan.waiting.length} that mostly wait beside them, one at a time; ${busyPassed && waitingPassed ? 'all passed' : 'FAILED (see above)'}`)
if (!busyPassed || !waitingPassed) process.exitCode = 1
