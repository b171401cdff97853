// The membership and channel entries a journal export carries are checked like messages: each one's
// exact bytes parse as their format (causette/membership/v1, causette/channel/v1) and verify under
// the signer they name, and a channel entry's signer was made a member before it (docs/log-format.md §5).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { toBase64, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { ed25519Verify } from '../../crypto/ed25519.js'
import { createChannel } from '../../crypto/channel-log.js'
import { encodeChannelEntry } from '../../crypto/channel-entry.js'
import { MembershipLog, signGenesis, signNext, type SignedEntry } from '../../crypto/membership-log.js'
import { channelEntryEntry, membershipEntry, membershipForkEntry, type JournalEntry } from '../../core/journal/entry.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { alice, bob, carol, exportLines, memoryJournal, type Device } from './journal-fixture.js'

const primitives = { sha256, ed25519Verify }
const T = 1_700_000_000_000
const signer = (d: Device): { publicKey: Uint8Array, sign: (m: Uint8Array) => Uint8Array } => ({ publicKey: d.keys.publicKey, sign: d.sign })

function genesis (): { log: MembershipLog, entry: JournalEntry } {
  const signed = signGenesis(signer(alice), { name: 'Acme', deviceName: 'alice', identityKey: new Uint8Array(32).fill(7), prekeyId: 1, prekey: new Uint8Array(32).fill(8) }, T)
  const log = MembershipLog.fromGenesis(primitives, signed)
  return { log, entry: membershipEntry({ time: T, workspace: log.workspaceId, seq: 0, change: 'genesis', entry: toBase64(signed.bytes), signature: toBase64(signed.signature) }) }
}

function channelJournalEntry (channel: string, signed: SignedEntry, change: string): JournalEntry {
  return channelEntryEntry({ time: T, channel, change, entry: toBase64(signed.bytes), signature: toBase64(signed.signature) })
}

/** A channel alice created, as journal entries: its create entry, and alice's invite of bob. */
function channelOf (workspace: string): { channel: string, entries: JournalEntry[], head: Uint8Array } {
  const log = createChannel(primitives, signer(alice), { workspace, name: 'lyon', topic: '' }, T)
  const invite = log.append(signer(alice), { kind: 'invite', device: bob.keys.publicKey }, T + 1)
  return {
    channel: log.channelId,
    head: sha256(invite.bytes),
    entries: [channelJournalEntry(log.channelId, log.entries()[0]!, 'create'), channelJournalEntry(log.channelId, invite, 'invite')]
  }
}

/** An entry of `channel` after `parent`, signed by `by` (whether a member or not). */
function topicBy (by: Device, channel: string, parent: Uint8Array): JournalEntry {
  const bytes = encodeChannelEntry({ kind: 'topic', channel, parents: [parent], clock: 2, signer: by.keys.publicKey, time: T + 2, topic: `${by.name} was here` })
  return channelJournalEntry(channel, { bytes, signature: by.sign(bytes) }, 'topic')
}

async function verdict (entries: JournalEntry[]): Promise<string> {
  const journal = await memoryJournal()
  await journal.append(entries)
  return await verifyExport(await exportLines(journal, {}, new Map()), nodeLogPrimitives).then(() => 'OK', (error: Error) => error.message)
}

describe('journal export: membership and channel entries', () => {
  it('a genuine membership entry and a channel with a member\'s entry verify', async () => {
    const { log, entry } = genesis()
    const channel = channelOf(log.workspaceId)
    assert.equal(await verdict([entry, ...channel.entries, topicBy(bob, channel.channel, channel.head)]), 'OK')
  })

  it('a membership entry whose bytes are "hello" with an all-zero signature is refused', async () => {
    const { log } = genesis()
    const forged = membershipEntry({ time: T, workspace: log.workspaceId, seq: 0, change: 'genesis', entry: toBase64(utf8('hello')), signature: toBase64(new Uint8Array(64)) })
    assert.match(await verdict([forged]), /^entry 0 \(line \d+\): .*membership/)
  })

  it('a well-formed membership entry with another signer\'s signature is refused', async () => {
    const { entry } = genesis()
    const forged = { ...entry, signature: toBase64(bob.sign(utf8('something else'))) }
    assert.match(await verdict([forged]), /^entry 0 \(line \d+\): the membership entry's signature does not verify/)
  })

  it('a fork leaf verifies with its dropped entry at its seq and the kept entry\'s hash, and each of its rules refuses', async () => {
    const { log, entry } = genesis()
    const prekey = (fill: number): SignedEntry => signNext(log, signer(alice), { kind: 'prekey', prekeyId: 2, prekey: new Uint8Array(32).fill(fill) }, T + fill)
    const [dropped, kept] = [prekey(1), prekey(2)]
    const fork = (over: Partial<Record<string, string | number>> = {}): JournalEntry =>
      ({ ...membershipForkEntry({ time: T, workspace: log.workspaceId, seq: 1, entry: toBase64(dropped.bytes), signature: toBase64(dropped.signature), kept: toBase64(sha256(kept.bytes)) }), ...over }) as JournalEntry
    const keptLeaf = membershipEntry({ time: T, workspace: log.workspaceId, seq: 1, change: 'prekey', entry: toBase64(kept.bytes), signature: toBase64(kept.signature) })
    assert.equal(await verdict([entry, fork(), keptLeaf]), 'OK')
    const refusals: Array<[JournalEntry, RegExp]> = [
      [fork({ seq: 2 }), /seq differs from its dropped entry/],
      [fork({ kept: toBase64(sha256(dropped.bytes)) }), /keeps the entry it drops/],
      [fork({ kept: toBase64(sha256(kept.bytes)).replace('=', '') }), /kept must be base64 of a 32-byte/],
      [Object.fromEntries(Object.entries(fork()).filter(([key]) => key !== 'kept')) as JournalEntry, /kept must be base64 of a 32-byte/],
      [fork({ entry: entry.entry as string, signature: entry.signature as string, seq: 0 }), /dropped entry is a genesis/],
      [{ ...keptLeaf, kept: toBase64(sha256(dropped.bytes)) } as JournalEntry, /only a fork leaf has kept/]
    ]
    for (const [leaf, reason] of refusals) assert.match(await verdict([entry, leaf]), reason)
  })

  it('a channel entry signed by a device never made a member is refused', async () => {
    const { log, entry } = genesis()
    const channel = channelOf(log.workspaceId)
    assert.match(await verdict([entry, ...channel.entries, topicBy(carol, channel.channel, channel.head)]), /^entry 3 \(line \d+\): .*not a member/)
  })

  it('a subset export of a time window holds each selected channel\'s entries from its create, and verifies', async () => {
    const { log, entry } = genesis()
    const channel = channelOf(log.workspaceId)
    const later = { ...topicBy(bob, channel.channel, channel.head), time: T + 60_000 }
    const journal = await memoryJournal()
    await journal.append([entry, ...channel.entries, later])
    const lines = await exportLines(journal, { since: T + 60_000 }, new Map())
    const changes = lines.filter(line => line.startsWith('entry ')).map(line => JSON.parse(Buffer.from(line.split(' ')[3]!, 'base64').toString()) as { kind: string, change?: string })
    assert.deepEqual(changes.map(c => c.change ?? c.kind), ['create', 'invite', 'topic', 'export'])
    await verifyExport(lines, nodeLogPrimitives)
  })
})
