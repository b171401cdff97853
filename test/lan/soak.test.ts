// The soak test: an office of five daemons in network namespaces on one bridge (one
// workspace, real mDNS), thousands of messages in every 1:1 conversation while daemons are stopped,
// killed with SIGKILL and restarted on their profiles, and cables are unplugged and replugged. At
// the end every message a sender's API acknowledged is at its recipient exactly once, each author's
// messages are listed in the order written, the sender sees each one delivered, and every node's
// journal exports and verifies. Size and schedule: SOAK_MESSAGES, SOAK_SECONDS (traffic and
// disturbances), SOAK_DRAIN_SECONDS (bound on the final delivery), SOAK_SEED (the disturbances),
// SOAK_BUDGET_SECONDS (the whole test: the final wait is cut short so that a failure is reported
// with its details before the runner's per-file bound, 10 minutes in scripts/test.sh, kills it).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { createLan } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { auditDeliveredStates } from '../helpers/soak-audit.js'
import { runChaos, seededRandom } from '../helpers/soak-chaos.js'
import { describeFindings, findings, senderCopies, undelivered } from '../helpers/soak-arrivals.js'
import { isClean } from '../helpers/soak-check.js'
import { exportAndVerifyJournals, fullMesh, startSoakOffice } from '../helpers/soak-nodes.js'
import { pairLedgers, sendTraffic } from '../helpers/soak-traffic.js'

function envInt (name: string, fallback: number): number {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${text}"`)
  return value
}

const config = {
  messages: envInt('SOAK_MESSAGES', 3_000),
  trafficMs: envInt('SOAK_SECONDS', 50) * 1_000,
  drainMs: envInt('SOAK_DRAIN_SECONDS', 60) * 1_000,
  // 9 of the runner's 10 minutes a file: on a loaded machine the traffic alone took 146 s of its
  // planned 50, and a budget of 170 s (from when the bound was 3 minutes) left the drain 2 s.
  budgetMs: envInt('SOAK_BUDGET_SECONDS', 540) * 1_000,
  seed: envInt('SOAK_SEED', randomInt(2 ** 31))
}
const NAMES = ['ada', 'bob', 'cyd', 'dan', 'eve']
const POLL_MS = 1_000
/** What the end (listings, journal exports and checks) takes at most, kept out of the final wait. */
const CHECKS_RESERVE_MS = 20_000

/** Polls `check` until it reports nothing left or the deadline passes; returns its last report. */
async function until<T> (deadline: number, check: () => Promise<T[]>): Promise<T[]> {
  for (;;) {
    const left = await check()
    if (left.length === 0 || Date.now() > deadline) return left
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
}

test('soak: five nodes, thousands of messages, restarts (some SIGKILL) and cable cuts; nothing acknowledged is lost or doubled, order is kept, journals verify', async (t) => {
  if (!await lanAvailable(t)) return
  const testAt = Date.now()
  const report = (line: string): void => { t.diagnostic(line); console.log(`soak: ${line}`) }
  report(`seed ${config.seed} (SOAK_SEED), ${config.messages} messages over ${config.trafficMs / 1000} s`)
  const lan = await createLan(t, { hosts: NAMES.length })
  const setupAt = Date.now()
  const members = await startSoakOffice(t, lan.hosts, NAMES)
  await fullMesh(members, 15_000) // 60 s under load (underLoad): the soak keeps to its budget
  report(`office of ${members.length} in one workspace, fully connected, in ${Date.now() - setupAt} ms`)

  // Traffic and disturbances together; the disturbances stop with the traffic and heal.
  const ledgers = pairLedgers(members)
  const trafficAt = Date.now()
  const traffic = sendTraffic({ messages: config.messages, durationMs: config.trafficMs }, ledgers)
  const audit = auditDeliveredStates(ledgers, traffic.then(() => {}, () => {}), trafficAt)
  // Disturbances for the traffic's planned time at most: until it was all sent, on a machine loaded
  // enough that restarts slowed the sends, they fed each other and ran past the test's bound (20 min).
  const chaos = await runChaos({
    targets: members,
    random: seededRandom(config.seed),
    until: Promise.race([traffic.then(() => {}, () => {}), sleep(config.trafficMs)]),
    log: line => { console.log(`soak: ${line}`) }
  })
  await traffic
  assert.ok(chaos.sigkills > 0 && chaos.sigterms > 0 && chaos.linkCuts > 0, `seed ${config.seed}: the run had SIGKILLs, SIGTERMs and link cuts (SOAK_SECONDS too short?)`)
  const acked = ledgers.reduce((sum, ledger) => sum + ledger.acked.length, 0)
  const uncertain = ledgers.reduce((sum, ledger) => sum + ledger.uncertain.length, 0)
  const rejected = ledgers.flatMap(ledger => ledger.rejected.map(({ n, status, body }) => `${ledger.author.name} -> ${ledger.recipient.name} #${n}: ${status} ${JSON.stringify(body)}`))
  report(`traffic done in ${Date.now() - trafficAt} ms: ${acked} acknowledged, ${uncertain} without answer (daemon killed mid-call), ${rejected.length} refused by the API`)
  if (rejected.length > 0) report(`refused: ${rejected.slice(0, 10).join('; ')}`)
  // Reported, not asserted (yet): a false "delivered" that catch-up repairs later loses nothing.
  const audited = await audit
  report(`during the traffic, ${audited.checks} checks (sender first, then recipient) found ${audited.earlyDelivered.length} messages shown delivered before their recipient had them` +
    (audited.earlyDelivered.length === 0 ? '' : `: ${audited.earlyDelivered.slice(0, 5).join(', ')}`))

  // Everything runs and is plugged in again: every acknowledged message must arrive, and its
  // sender must learn it did.
  const drainAt = Date.now()
  const deadline = Math.min(drainAt + config.drainMs, testAt + config.budgetMs - CHECKS_RESERVE_MS)
  const stillMissing = await until(deadline, async () => (await findings(ledgers)).filter(found => found.missing.length > 0))
  const notDelivered = await until(deadline, async () => await undelivered(ledgers))
  report(stillMissing.length + notDelivered.length === 0
    ? `every acknowledged message at its recipient and shown delivered ${Date.now() - drainAt} ms after the traffic`
    : `stopped waiting ${Date.now() - drainAt} ms after the traffic, with messages still missing or not shown delivered`)

  const final = await findings(ledgers)
  const dirty = await Promise.all(final.map(async (found, index) => isClean(found) ? undefined : await describeFindings(ledgers[index]!, found, trafficAt)))
  assert.deepEqual(dirty.filter(found => found !== undefined), [], `seed ${config.seed}: every acknowledged message exactly once, in order`)
  assert.deepEqual(notDelivered.slice(0, 20), [], `seed ${config.seed}: ${notDelivered.length} acknowledged messages not shown delivered at their sender`)
  const uncertainPresent = final.reduce((sum, found) => sum + found.uncertainPresent, 0)
  // Messages that went through 'sent': a colleague carried them while their recipient was away.
  const carried = (await senderCopies(ledgers)).filter(({ copy }) => copy?.stateTimes?.sent !== undefined).length

  const entries = await exportAndVerifyJournals(t, members)

  report(`checked: ${acked} acknowledged messages each exactly once and in order at its recipient and delivered at its sender ` +
    `(${ledgers.length} conversation directions; ${carried} carried by a colleague on the way; ${uncertainPresent} of ${uncertain} unanswered sends arrived, at most once); ` +
    `${chaos.restarts} restarts (${chaos.sigkills} SIGKILL, ${chaos.sigterms} SIGTERM), ${chaos.linkCuts} link cuts; ` +
    `${members.length} journals verified (${entries} entries)`)
})
