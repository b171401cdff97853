// The bench's LAN parts (bench/lan-link.ts, bench/lan-teardown.ts): the links the files bench's
// office-LAN section shapes, and a teardown that runs however the part ends, Ctrl-C included.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { lanLinks, linkCeilingMiBPerSecond, shapingArgs } from '../../bench/lan-link.js'
import { benchTeardown } from '../../bench/lan-teardown.js'

const CHILD = fileURLToPath(new URL('./bench-lan-teardown-child.ts', import.meta.url))

test('--quick sends 100 MiB alone over every link; 1 GiB goes over the gigabit link only', () => {
  assert.deepEqual(lanLinks(true).map(link => link.sizesMiB), [[100], [100]])
  assert.deepEqual(lanLinks(false).map(link => [link.bitsPerSecond, link.sizesMiB]), [[1e9, [100, 1024]], [1e8, [100]]])
})

test('a link is shaped at its rate with a bucket of at least 64 KiB, and carries less TCP payload than its rate', () => {
  for (const link of lanLinks(false)) {
    const args = shapingArgs(link)
    assert.equal(args[args.indexOf('rate') + 1], `${link.bitsPerSecond}bit`)
    assert.ok(Number(args[args.indexOf('burst') + 1]) >= 64 * 1024)
    const rateMiBPerSecond = link.bitsPerSecond / 8 / 2 ** 20
    assert.ok(linkCeilingMiBPerSecond(link) < rateMiBPerSecond && linkCeilingMiBPerSecond(link) > 0.9 * rateMiBPerSecond)
  }
})

test('a bench teardown runs each step once, the last registered first, and stops watching for signals', async () => {
  const listening = process.listenerCount('SIGINT')
  const teardown = benchTeardown()
  const ran: string[] = []
  teardown.after(async () => { ran.push('namespaces') })
  teardown.after(async () => { throw new Error('a step that fails') })
  teardown.after(async () => { ran.push('processes') })
  assert.equal(process.listenerCount('SIGINT'), listening + 1)
  await Promise.all([teardown.run(), teardown.run()])
  await teardown.run()
  assert.deepEqual(ran, ['processes', 'namespaces'])
  assert.equal(process.listenerCount('SIGINT'), listening)
})

test('a bench part stopped by SIGTERM runs its teardown, then ends by that signal', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  child.stdout.on('data', (data: Buffer) => { output += data.toString() })
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  const ready = new Promise<void>(resolve => { child.stdout.on('data', () => { if (output.includes('ready\n')) resolve() }) })
  await Promise.race([ready, exited.then(() => { throw new Error(`the child ended before it was ready: ${output}`) })])
  child.kill('SIGTERM')
  const [, signal] = await exited
  assert.equal(signal, 'SIGTERM')
  assert.match(output, /removed/)
})
