// Child process of journal-crash.test.ts: appends messages to a journal on LevelDB, each with its
// message record in another sublevel in the same batch, and prints "ack <n> <index>" only once the
// append resolved, as a node acknowledges a message only once it is durably stored. Runs until killed.
import { Level } from 'level'
import { Journal, journalOrigin } from '../../core/journal/journal.js'
import { alice, bob, message } from './journal-fixture.js'

const [dir, firstArg] = process.argv.slice(2)
const root = new Level<string, string>(dir!)
await root.open()
const messages = root.sublevel<string, string>('messages', { valueEncoding: 'utf8' })
const journal = await Journal.open({ db: root.sublevel('journal'), sign: alice.sign, publicKey: alice.keys.publicKey, origin: journalOrigin(alice.peerId) })
let next = Number(firstArg ?? 0)

async function writer (): Promise<never> {
  for (;;) {
    const n = next++
    const m = message(n % 2 === 0 ? alice : bob, n % 2 === 0 ? bob : alice, `message ${n}`, 1_000 + n, n)
    const [index] = await journal.append([m.entry], [{ type: 'put', sublevel: messages, key: m.id, value: String(n) }])
    process.stdout.write(`ack ${n} ${index!} ${m.id}\n`)
  }
}

// Several writers at once, as concurrent deliveries would be.
await Promise.all([writer(), writer(), writer(), writer()])
