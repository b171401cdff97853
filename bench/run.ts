// npm run bench: our figures beside their baselines, measured in one run on this machine. Prints a
// table, then one JSON line with everything (for comparing runs).
import { benchLibp2pStream, benchRawTcp, type BenchSizes, type TransportFigures } from './baselines.js'
import { benchCarried, printCarriedFigures } from './carried.js'
import { benchChannel, printChannelFigures } from './channel.js'
import { benchE2e } from './e2e.js'
import { benchExecutables } from './executable.js'
import { benchFiles, printFilesFigures } from './files.js'
import { benchFilesLan, printFilesLanFigures } from './files-lan.js'
import { benchImagePreview, printImagePreviewFigures } from './image-preview.js'
import { benchJournal } from './journal.js'
import { benchMessaging } from './messaging.js'
import { benchIdleOffice, printIdleOfficeFigures } from './office.js'
import { benchStore } from './store.js'
import { benchSearch, printSearchFigures } from './search.js'
import { measureUi, UI_TARGETS } from './ui.js'
import { benchProsody } from './xmpp.js'

const quick = process.argv.includes('--quick')
// `--only messaging`: the transport rows alone (raw TCP, bare libp2p, causette node interface, HTTP
// API); `--only store`: a message's durable write alone; `--only files`: the file transfer beside its
// floors (three rounds of each, medians shown; `--files-rounds N` for another count); `--only
// files-lan`: the same on an office's LAN, two network namespaces over a shaped link (1 Gbit/s and
// 100 Mbit/s; the same rounds); `--only office`: an idle office of twenty desks (network
// namespaces); `--only carried`: messages through a carrier beside direct ones (network namespaces);
// `--only channel`: a channel's author cost beside 1:1 fan-out. For before/after comparisons of a path.
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1]
const PARTS = ['messaging', 'store', 'files', 'files-lan', 'office', 'carried', 'channel']
if (only !== undefined && !PARTS.includes(only)) throw new Error(`--only: unknown part '${only}' (known: ${PARTS.join(', ')})`)
const sizes: BenchSizes = quick ? { roundTrips: 200, throughputMessages: 2_000 } : { roundTrips: 2_000, throughputMessages: 20_000 }

function row (name: string, f: TransportFigures, width = 40): string {
  return `${name.padEnd(width)} ${f.p50Ms.toFixed(3).padStart(9)} ${f.p99Ms.toFixed(3).padStart(9)} ${f.perSecond.toLocaleString('en-US').padStart(12)}`
}

const log = (line: string): void => { process.stderr.write(line + '\n') }
const filesRoundsAt = process.argv.indexOf('--files-rounds')
const filesOptions = { sizesMiB: quick ? [100] : [100, 1024], rounds: filesRoundsAt === -1 ? (quick ? 1 : 3) : Number(process.argv[filesRoundsAt + 1]), log }
const filesLanOptions = { quick, rounds: filesOptions.rounds, log }

function printFigures (figures: object): void {
  for (const [name, value] of Object.entries(figures)) console.log(`  ${name.padEnd(40)} ${typeof value === 'number' ? value.toLocaleString('en-US') : JSON.stringify(value)}`)
}
/** Our 1:1 row and prosody's side by side, with what each round trip is. */
function printBesideProsody (ours: TransportFigures, prosody: TransportFigures | { unavailable: string }): void {
  console.log('\ncausette 1:1 (node interface) beside prosody, same run        causette   prosody   causette/prosody')
  if ('unavailable' in prosody) { console.log(`  no prosody figures: ${prosody.unavailable}`); return }
  const line = (name: string, a: number, b: number, digits: number): string =>
    `  ${name.padEnd(58)} ${a.toLocaleString('en-US', { maximumFractionDigits: digits }).padStart(8)} ${b.toLocaleString('en-US', { maximumFractionDigits: digits }).padStart(9)}   x${(a / b).toFixed(2)}`
  console.log(line('round trip p50, ms (lower is better)', ours.p50Ms, prosody.p50Ms, 3))
  console.log(line('round trip p99, ms (lower is better)', ours.p99Ms, prosody.p99Ms, 3))
  console.log(line('one pair, messages/s (higher is better)', ours.perSecond, prosody.perSecond, 0))
  console.log('  causette: send until the sender sees "delivered" (the receiver verified, journaled, stored and acknowledged it)')
  console.log('  prosody:  Alice\'s message until Bruno\'s XEP-0184 receipt is back: Alice > prosody > Bruno > prosody > Alice,')
  console.log('            STARTTLS, @xmpp/client on both ends, Bruno in another process; prosody writes nothing to disk for it')
}

if (only === 'store') {
  const store = await benchStore({ writes: quick ? 500 : 2_000, log })
  console.log('\na message\'s durable write (sealed record, index, outbox, conversation, postings, journal entry)   p50 ms    p99 ms')
  console.log(`  ${'one at a time'.padEnd(40)} ${store.write.p50Ms.toFixed(3).padStart(9)} ${store.write.p99Ms.toFixed(3).padStart(9)}`)
  console.log(`  ${'one at a time, then a read of its id'.padEnd(40)} ${store.writeThenRead.p50Ms.toFixed(3).padStart(9)} ${store.writeThenRead.p99Ms.toFixed(3).padStart(9)}`)
  console.log(`  ${'64 in flight, writes/s'.padEnd(40)} ${store.writesPerSecond.toLocaleString('en-US').padStart(19)}`)
  console.log(`  ${'64 in flight, CPU µs per write'.padEnd(40)} ${store.cpuMicrosPerWrite.toLocaleString('en-US').padStart(19)}`)
  console.log(JSON.stringify({ bench: 'causette', quick, only, store }))
  process.exit(0)
}
const officeOptions = { desks: 20, settleMs: quick ? 20_000 : 40_000, idleMs: quick ? 30_000 : 60_000, log }
if (only === 'office') {
  const office = await benchIdleOffice(officeOptions)
  printIdleOfficeFigures(office)
  console.log(JSON.stringify({ bench: 'causette', quick, only, office }))
  process.exit(0)
}
if (only === 'files-lan') {
  log(`causette files bench on an office LAN (${quick ? 'quick' : 'full'}), Node ${process.version}`)
  const filesLan = await benchFilesLan(filesLanOptions)
  printFilesLanFigures(filesLan)
  console.log(JSON.stringify({ bench: 'causette', quick, only, filesLan }))
  process.exit(0)
}
const carriedOptions = { ...(quick ? { messages: 500, roundTrips: 50 } : {}), log }
if (only === 'carried') {
  const carried = await benchCarried(carriedOptions)
  printCarriedFigures(carried, row)
  console.log(JSON.stringify({ bench: 'causette', quick, only, carried }))
  process.exit(0)
}
const channelOptions = { members: quick ? 20 : Number(process.env.CAUSETTE_BENCH_CHANNEL_MEMBERS ?? 100), messages: quick ? 5 : 20, log }
if (only === 'channel') {
  const channel = await benchChannel(channelOptions)
  printChannelFigures(channel)
  console.log(JSON.stringify({ bench: 'causette', quick, only, channel }))
  process.exit(0)
}
if (only === 'files') {
  log(`causette files bench (${quick ? 'quick' : 'full'}), Node ${process.version}`)
  const files = await benchFiles(filesOptions)
  printFilesFigures(files)
  const imagePreview = await benchImagePreview({ images: quick ? 5 : 10, log })
  printImagePreviewFigures(imagePreview)
  console.log(JSON.stringify({ bench: 'causette', quick, only, files, imagePreview }))
  process.exit(0)
}
log(`causette bench (${quick ? 'quick' : 'full'}): ${sizes.roundTrips} round trips, ${sizes.throughputMessages} messages per throughput run, Node ${process.version}`)
const tcp = await benchRawTcp(sizes)
const libp2p = await benchLibp2pStream(sizes)
const prosody = only === 'messaging' ? { unavailable: 'not run (--only messaging)' } : await benchProsody(sizes)
const messaging = await benchMessaging(sizes)

console.log('\n100-byte messages, loopback, peer in another process         p50 ms    p99 ms     msgs/s')
console.log(row('raw TCP echo (floor)', tcp))
console.log(row('bare libp2p stream echo (floor)', libp2p))
console.log('unavailable' in prosody ? `${'prosody XMPP, receipt back'.padEnd(40)} not measured: ${prosody.unavailable}` : row('prosody XMPP, receipt back', prosody))
console.log(row('causette message, node interface', messaging.node))
console.log(row('causette message, HTTP API', messaging.api))
console.log(`CPU time per message, both ends (throughput run): node interface ${messaging.node.cpuMicrosPerMessage.toLocaleString('en-US')} µs, HTTP API ${messaging.api.cpuMicrosPerMessage.toLocaleString('en-US')} µs (x${(messaging.api.cpuMicrosPerMessage / messaging.node.cpuMicrosPerMessage).toFixed(2)}; the API's HTTP client, in its own process, ${messaging.api.clientMicrosPerMessage.toLocaleString('en-US')} µs more)`)
console.log(`causette vs bare libp2p: round trip x${(messaging.node.p50Ms / libp2p.p50Ms).toFixed(1)}, throughput ${Math.round(100 * messaging.node.perSecond / libp2p.perSecond)}%`)
printBesideProsody(messaging.node, prosody)
if (only === 'messaging') {
  console.log(JSON.stringify({ bench: 'causette', quick, only, sizes, rawTcp: tcp, libp2pStream: libp2p, messaging }))
  process.exit(0)
}

const carried = await benchCarried(carriedOptions)
printCarriedFigures(carried, row)

const channel = await benchChannel(channelOptions)
printChannelFigures(channel)

const journal = await benchJournal({ ...(quick ? { entries: 100_000 } : {}), log })
console.log('\njournal')
printFigures(journal)

const e2e = await benchE2e({ ...(quick ? { messages: 2_000 } : {}), log })
console.log('\nend-to-end layer alone (crypto/e2e), 100-byte messages')
printFigures(e2e)

const search = await benchSearch({ messages: quick ? 50_000 : 1_000_000, runs: quick ? 50 : 200, log })
printSearchFigures(search)

const files = await benchFiles(filesOptions)
printFilesFigures(files)
const imagePreview = await benchImagePreview({ images: quick ? 5 : 10, log })
printImagePreviewFigures(imagePreview)
const filesLan = await benchFilesLan(filesLanOptions)
printFilesLanFigures(filesLan)

const ui = await measureUi({ runs: quick ? 3 : 5 })
console.log('\nbrowser app, Chromium on loopback')
if ('unavailable' in ui) {
  console.log(`  not measured: ${ui.unavailable}`)
} else {
  console.log(`  first-load JavaScript, gzipped           ${(ui.firstLoadJsGzipBytes / 1024).toFixed(1)} KB (target < ${UI_TARGETS.firstLoadJsGzipBytes / 1024} KB), libsodium in it: ${ui.libsodiumInFirstLoad ? 'yes' : 'no'}`)
  console.log(`  time to interactive, median               ${Math.round(ui.timeToInteractiveMs)} ms (target < ${UI_TARGETS.timeToInteractiveMs} ms)`)
}

const executables = await benchExecutables({ restarts: quick ? 2 : 5, log })
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`
if ('unavailable' in executables) {
  console.log(`\nrelease executables: not measured: ${executables.unavailable}`)
} else {
  console.log(`\nrelease executables (npm run package, all five targets in ${executables.buildSeconds.toFixed(0)} s)   size      zip to download (goal < 60 MB)`)
  for (const file of executables.files) console.log(`  ${file.file.padEnd(40)} ${mib(file.bytes).padStart(10)} ${mib(file.downloadBytes).padStart(10)}`)
  console.log('linux-x64 executable alone (empty PATH), loopback, no mDNS')
  console.log(`  cold start to the app answering            ${Math.round(executables.coldStartMs)} ms median of restarts (goal < 1000 ms); first start, new profile: ${Math.round(executables.coldStartFirstMs)} ms`)
  console.log(`  idle RSS                                   ${mib(executables.idleRssBytes)}`)
  console.log(`  from source (node bin/causette.js)         ${Math.round(executables.fromSourceColdStartMs)} ms to the app, idle RSS ${mib(executables.fromSourceIdleRssBytes)}`)
}

const office = await benchIdleOffice(officeOptions)
printIdleOfficeFigures(office)

console.log(JSON.stringify({ bench: 'causette', quick, sizes, rawTcp: tcp, libp2pStream: libp2p, prosody, messaging, carried, channel, journal, e2e, search, files, imagePreview, filesLan, ui, executables, office }))
