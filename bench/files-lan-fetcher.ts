// The fetching end of the files bench's office-LAN section (bench/files-lan.ts), in a network
// namespace of its own, as a colleague's PC: connects to the holder named in its one JSON argument
// {holder, listenHost} and prints {"ready":true}; then each line {"measure": MeasurePlan} on stdin
// is measured as on loopback (bench/files-fetch.ts) and answered {"figures": SizeFigures[]}. The
// holder is in another namespace, so its CPU and RSS are asked of the bench: {"holder":"mark"} or
// {"holder":"peak"} on stdout, answered by the next stdin line. Serves until stdin closes.
// Run by bench/files-lan.ts:  ip netns exec <ns> node --import tsx bench/files-lan-fetcher.ts '<json>'
import { createInterface } from 'node:readline'
import { tuneGarbageCollector } from '../core/runtime/gc-tuning.js'
import { connectToHolder, measureSizes, type HolderReady, type HolderSide, type MeasurePlan } from './files-fetch.js'

const { holder, listenHost } = JSON.parse(process.argv[2] ?? '{}') as { holder: HolderReady, listenHost: string }
tuneGarbageCollector() // as a node's process runs (startNode), as the holder does
const link = await connectToHolder(holder, listenHost)
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
const say = (message: object): void => { process.stdout.write(JSON.stringify(message) + '\n') }
const log = (line: string): void => { process.stderr.write(line + ' (office LAN)\n') }

async function nextLine (): Promise<string | undefined> {
  const line = await lines.next()
  return line.done === true ? undefined : line.value
}

async function askHolder (question: 'mark' | 'peak'): Promise<unknown> {
  say({ holder: question })
  const answer = await nextLine()
  if (answer === undefined) throw new Error('the bench closed its input while the fetcher waited for the holder\'s figures')
  return JSON.parse(answer)
}

const holderSide: HolderSide = {
  rssMark: async () => { await askHolder('mark') },
  sinceMark: async () => await askHolder('peak') as { rssGrowthMiB: number, cpuMs: number }
}

say({ ready: true })
for (let line = await nextLine(); line !== undefined; line = await nextLine()) {
  const { measure } = JSON.parse(line) as { measure: MeasurePlan }
  say({ figures: await measureSizes(link, holderSide, measure, log) })
}
await link.host.stop()
process.exit(0)
