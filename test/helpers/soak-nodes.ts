// The soak test's office: one daemon per LAN host, all members of one workspace made as an office
// would (the first creates it through the CLI and invites the others; they start with --join), each
// with an API relay, and a way to kill and restart any of them on its own profile.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import type { InviteView, MessageView, PeerView, WorkspaceView } from '../../core/api/schema.js'
import { JOIN_PATIENCE_MS } from '../../core/workspace/join.js'
import { underLoad } from './deadline.js'
import { startLanDaemon, type LanDaemon } from './lan-daemon.js'
import { eventually } from './lan-wait.js'
import type { LanHost, Teardown } from './netns.js'
import { tempHome } from './nodes.js'
import { SoakApi } from './soak-api.js'
import type { ChaosTarget } from './soak-chaos.js'
import type { SoakNode } from './soak-traffic.js'

/** A restarted daemon loads libp2p and its profile while the others keep the CPU busy. */
const RESTART_TIMEOUT_MS = 60_000
/**
 * A desk started with --join says it runs once admitted: the whole office joins at once and the
 * admin's node admits one desk after another, so a desk may wait its turn as long as joining keeps
 * trying (JOIN_PATIENCE_MS), and more.
 */
const JOIN_START_TIMEOUT_MS = JOIN_PATIENCE_MS + underLoad(30_000)

export interface SoakMember extends SoakNode, ChaosTarget {
  host: LanHost
  /** The daemon now running (a new one after each restart). */
  daemon: LanDaemon
}

export async function startSoakOffice (t: Teardown, hosts: LanHost[], names: string[]): Promise<SoakMember[]> {
  const admin = member(t, await startLanDaemon(t, hosts[0]!, names[0]!))
  await admin.daemon.cli<WorkspaceView>('workspace', 'create', 'Soak office')
  // The codes through the admin's API, as the app asks for them: `causette invite` would start a
  // Node process per desk, nineteen for the office of twenty (the CLI's invite has its own tests).
  const invites: InviteView[] = []
  for (let index = 1; index < hosts.length; index++) invites.push(await admin.api.post<InviteView>('/api/v1/invites', { role: 'member' }))
  const joined = await Promise.all(hosts.slice(1).map(async (host, index) =>
    await startLanDaemon(t, host, names[index + 1]!, ['--join', invites[index]!.code], { startTimeoutMs: JOIN_START_TIMEOUT_MS })))
  return [admin, ...joined.map(daemon => member(t, daemon))]
}

function member (t: Teardown, first: LanDaemon): SoakMember {
  const api = new SoakApi(first.host, first.home)
  t.after(async () => { api.close() })
  const self: SoakMember = {
    name: first.name,
    peerId: first.peerId,
    host: first.host,
    daemon: first,
    api,
    stop: async (signal) => { await self.daemon.stop(signal) },
    start: async () => {
      self.daemon = await startLanDaemon(t, first.host, first.name, [], { home: first.home, startTimeoutMs: RESTART_TIMEOUT_MS })
    },
    setLink: async (up) => { await first.host.setLink(up) }
  }
  return self
}

/**
 * Exports every member's journal through its daemon, stops the daemons (SIGTERM), then verifies each
 * export offline with `causette log verify`; resolves with the number of entries verified.
 */
export async function exportAndVerifyJournals (t: TestContext, members: SoakMember[]): Promise<number> {
  const folder = await tempHome(t, 'causette-soak-journals-')
  const files = await Promise.all(members.map(async member => {
    const file = join(folder, `${member.name}.jsonl`)
    await member.daemon.cli('log', 'export', '--out', file)
    return { member, file }
  }))
  await Promise.all(members.map(async member => { await member.stop('SIGTERM') }))
  let entries = 0
  for (const { member, file } of files) {
    const verdict = await member.daemon.cli<{ ok: boolean, report: { entries: number } }>('log', 'verify', file)
    assert.equal(verdict.ok, true, `${member.name}'s journal verifies`)
    entries += verdict.report.entries
  }
  return entries
}

/** Waits until every member lists every other one as connected. */
export async function fullMesh (members: SoakMember[], timeoutMs: number): Promise<void> {
  await eventually('every member to be connected to every other one', async () => {
    const views = await Promise.all(members.map(async member => await member.api.call('GET', '/api/v1/peers')))
    return views.every((view, index) => 'status' in view && view.status === 200 && members.every(other => other === members[index] ||
      (view.body as PeerView[]).some(peer => peer.peerId === other.peerId && peer.connected)))
  }, { timeoutMs, pollMs: 300 })
}

/** Page size of the message listing (the API's maximum). */
const PAGE = 1_000

/**
 * Every message of `member`'s conversation with `peer`, in the API's order (oldest first). Pages go
 * back in time; each next one starts at the oldest time seen (inclusive, deduplicated by id) so that
 * messages sharing a millisecond across a page boundary are not skipped.
 */
export async function conversation (member: SoakNode, peer: SoakNode): Promise<MessageView[]> {
  const seen = new Set<string>()
  let listed: MessageView[] = []
  let before: number | undefined
  for (;;) {
    const query = new URLSearchParams({ with: peer.peerId, limit: String(PAGE), ...(before === undefined ? {} : { before: String(before) }) })
    const page = await member.api.get<MessageView[]>(`/api/v1/messages?${query.toString()}`)
    const fresh = page.filter(message => !seen.has(message.id))
    for (const message of fresh) seen.add(message.id)
    listed = [...fresh, ...listed]
    if (page.length < PAGE || fresh.length === 0) return listed
    before = page[0]!.time + 1
  }
}
