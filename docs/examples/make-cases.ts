// Writes the example files of docs/examples/README.md's table into docs/examples/cases/: small
// journals of alice's, each showing one thing a verifier must accept or refuse. Every file is a real
// export signed by alice's key, so what a verifier refuses is the content, never the checkpoint; a
// few are made by editing a valid file where the format's unsigned lines allow it.
// Run: node --import tsx docs/examples/make-cases.ts
import { readFileSync, writeFileSync } from 'node:fs'
import { MemoryLevel } from 'memory-level'
import { directConversationId } from '../../crypto/conversation.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { toBase64, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { ed25519Verify } from '../../crypto/ed25519.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { line } from '../../crypto/log/export-format.js'
import { hashLeaf } from '../../crypto/merkle.js'
import { noteKey, signNote } from '../../crypto/signed-note.js'
import { bodyCommitment, signStatement } from '../../crypto/statement-signature.js'
import { ChannelLog, channelConversationId } from '../../crypto/channel-log.js'
import { encodeChannelEntry } from '../../crypto/channel-entry.js'
import { MembershipLog, signGenesis, signJoinRequest, signNext, type SignedEntry } from '../../crypto/membership-log.js'
import { channelEntryEntry, membershipEntry, membershipForkEntry, messageReceivedEntry, startupEntry, type JournalEntry } from '../../core/journal/entry.js'
import { Journal, journalOrigin } from '../../core/journal/journal.js'

const T = Date.parse('2026-11-27T09:00:00Z')
const primitives = { sha256, ed25519Verify }
const person = (seed: number, name: string) => {
  const keys = ed25519FromSeed(new Uint8Array(32).fill(seed))
  return { name, publicKey: keys.publicKey, sign: ed25519Signer(keys.seed), peerId: ed25519PeerId(keys.publicKey) }
}
type Person = ReturnType<typeof person>
const alice = person(1, 'Alice')
const bob = person(2, 'Bob')
const carol = person(3, 'Carol')
const invite = person(9, 'invite')
const stranger = person(10, 'invite not used')
const dir = new URL('cases/', import.meta.url)

interface Body { salt: Uint8Array, body: Uint8Array }

async function journalOf (entries: JournalEntry[]): Promise<Journal> {
  const journal = await Journal.open({ db: new MemoryLevel<string, string>().sublevel('journal'), sign: alice.sign, publicKey: alice.publicKey, origin: journalOrigin(alice.peerId) })
  await journal.append([startupEntry(T), ...entries])
  return journal
}

/** A full export as the node writes it, with the export entry's fields given (a fixed time, so files are reproducible). */
async function fullExport (journal: Journal, bodies: Map<string, Body>, exportFields: Record<string, string> = { redact: 'no' }): Promise<string> {
  const sealed = await journal.appendAndCheckpoint((size, root) => ({ kind: 'export', time: T + 3_600_000, size, count: size, selection: toBase64(root), ...exportFields }))
  const lines = [line.header(), line.key(journal.verifierKey), line.scope('full'), line.checkpoint(utf8(sealed.note))]
  for await (const [index, leaf] of journal.leaves(0, sealed.index + 1)) {
    lines.push(line.entry(index, hashLeaf(sha256, leaf), leaf))
    const id = (JSON.parse(new TextDecoder().decode(leaf)) as { id?: string }).id
    const body = id === undefined ? undefined : bodies.get(id)
    if (body !== undefined) lines.push(line.body(body.salt, body.body))
  }
  return [...lines, line.end()].join('\n') + '\n'
}

/** The same export, its checkpoint signed again with an extension line after the root (C2SP allows them; a verifier ignores them). */
function withExtensionLine (text: string): string {
  const lines = text.split('\n')
  const note = Buffer.from(lines[3]!.slice('checkpoint '.length), 'base64').toString('utf8')
  const checkpoint = note.slice(0, note.lastIndexOf('\n\n') + 1) + 'example-extension: ignored by verifiers\n'
  lines[3] = line.checkpoint(utf8(signNote(noteKey(sha256, journalOrigin(alice.peerId), alice.publicKey), alice.sign, checkpoint)))
  return lines.join('\n')
}

function write (name: string, text: string): void {
  writeFileSync(new URL(name, dir), text)
}

/** A message bob sent alice, with its body; `salt` is 32 bytes unless a case needs otherwise. */
function fromBob (seq: number, text: string, bodies: Map<string, Body>, salt = new Uint8Array(32).fill(seq)): JournalEntry {
  return received(bob, { seq, text, idByte: 50 + seq, salt }, bodies)
}

/** A message `author` sent alice alone, naming `conversation` (their 1:1 one unless given), with its body. */
function received (author: Person, m: { seq: number, text: string, idByte: number, salt: Uint8Array, conversation?: string }, bodies: Map<string, Body>): JournalEntry {
  const conversation = m.conversation ?? directConversationId(author.publicKey, alice.publicKey)
  const id = toBase64Url(new Uint8Array(32).fill(m.idByte))
  const body = utf8(m.text)
  const time = T + m.seq * 60_000
  const { bytes, signature } = signStatement(author.sign, { workspace: 'acme', conversation, author: author.publicKey, recipients: [alice.publicKey], id, time, seq: m.seq, bodyHash: bodyCommitment(m.salt, body) })
  bodies.set(id, { salt: m.salt, body })
  return messageReceivedEntry({ time: time + 500, peer: author.peerId, conversation, id, statement: toBase64(bytes), signature: toBase64(signature) })
}

// --- the workspace's membership log and a channel, as alice's journal holds them
const genesis = signGenesis(alice, { name: 'Acme', deviceName: 'Alice', identityKey: new Uint8Array(32).fill(11), prekeyId: 1, prekey: new Uint8Array(32).fill(12) }, T)
const log = MembershipLog.fromGenesis(primitives, genesis)
const inviteEntry = signNext(log, alice, { kind: 'invite', inviteKey: invite.publicKey, role: 'member', expires: T + 86_400_000 }, T + 1000)
log.apply(inviteEntry)
const joinRequest = { root: alice.publicKey, invite: invite.publicKey, device: bob.publicKey, identityKey: new Uint8Array(32).fill(21), prekeyId: 1, prekey: new Uint8Array(32).fill(22), name: 'Bob', time: T + 1500 }
const admitEntry = signNext(log, alice, { kind: 'admit', role: 'member', invite: invite.publicKey, ...signJoinRequest(bob.sign, invite.sign, joinRequest) }, T + 2000)
const forgedAdmit = signNext(log, alice, { kind: 'admit', role: 'member', invite: invite.publicKey, ...signJoinRequest(bob.sign, stranger.sign, joinRequest) }, T + 2000)
log.apply(admitEntry)
const membership = (signed: SignedEntry, seq: number, change: string): JournalEntry =>
  membershipEntry({ time: T + seq * 1000, workspace: log.workspaceId, seq, change, entry: toBase64(signed.bytes), signature: toBase64(signed.signature) })
const membershipLog = [membership(genesis, 0, 'genesis'), membership(inviteEntry, 1, 'invite'), membership(admitEntry, 2, 'admit')]

// A fixed nonce (createChannel draws one) keeps the files the same from one run to the next.
const createBytes = encodeChannelEntry({ kind: 'create', channel: null, parents: [], clock: 0, signer: alice.publicKey, time: T + 5000, workspace: log.workspaceId, name: 'lyon', topic: 'the Lyon site', nonce: new Uint8Array(16).fill(7) })
const channel = ChannelLog.open(primitives, { bytes: createBytes, signature: alice.sign(createBytes) })
const inviteBob = channel.append(alice, { kind: 'invite', device: bob.publicKey }, T + 6000)
const topicBy = (by: Person): SignedEntry => {
  const bytes = encodeChannelEntry({ kind: 'topic', channel: channel.channelId, parents: [sha256(inviteBob.bytes)], clock: 2, signer: by.publicKey, time: T + 7000, topic: `${by.name}: scaffolding on Monday` })
  return { bytes, signature: by.sign(bytes) }
}
const channelEntry = (signed: SignedEntry, change: string): JournalEntry =>
  channelEntryEntry({ time: T + 8000, channel: channel.channelId, change, entry: toBase64(signed.bytes), signature: toBase64(signed.signature) })
const create = channelEntry(channel.entries()[0]!, 'create')
const invited = channelEntry(inviteBob, 'invite')
// Carol joins by her own entry: held in an open channel (the creator's open entry before it), refused in a private one.
const joinBy = (on: ChannelLog, by: Person, parent: SignedEntry, clock: number): SignedEntry => {
  const bytes = encodeChannelEntry({ kind: 'join', channel: on.channelId, parents: [sha256(parent.bytes)], clock, signer: by.publicKey, time: T + 9000 })
  return { bytes, signature: by.sign(bytes) }
}
const openBytes = encodeChannelEntry({ kind: 'create', channel: null, parents: [], clock: 0, signer: alice.publicKey, time: T + 5000, workspace: log.workspaceId, name: 'site', topic: 'for everyone', nonce: new Uint8Array(16).fill(8) })
const openChannel = ChannelLog.open(primitives, { bytes: openBytes, signature: alice.sign(openBytes) })
const opened = openChannel.append(alice, { kind: 'open' }, T + 5500)
const carolJoins = joinBy(openChannel, carol, opened, 2)
openChannel.add(carolJoins)
const carolLeaves = openChannel.append(carol, { kind: 'leave' }, T + 9500)
const openEntry = (signed: SignedEntry, change: string): JournalEntry =>
  channelEntryEntry({ time: T + 10_000, channel: openChannel.channelId, change, entry: toBase64(signed.bytes), signature: toBase64(signed.signature) })
// Alice removes bob naming his two chains she holds and the next iteration of each (channels.md,
// "Posting ends at the departure"); the same removal with its pairs out of order, signed as well.
const bobsChains = [{ chainId: new Uint8Array(16).fill(31), next: 12 }, { chainId: new Uint8Array(16).fill(32), next: 0 }]
const removeBytes = encodeChannelEntry({ kind: 'remove', channel: channel.channelId, parents: [sha256(inviteBob.bytes)], clock: 2, signer: alice.publicKey, time: T + 7500, device: bob.publicKey, chains: bobsChains })
const removeText = new TextDecoder().decode(removeBytes)
const pairs = /\nchains: (\S+)\n$/.exec(removeText)![1]!
const unorderedBytes = utf8(removeText.replace(pairs, pairs.split(',').reverse().join(',')))
const signedByAlice = (bytes: Uint8Array): SignedEntry => ({ bytes, signature: alice.sign(bytes) })
const openedBy = (by: Person): SignedEntry => {
  const bytes = encodeChannelEntry({ kind: 'open', channel: channel.channelId, parents: [sha256(channel.entries()[0]!.bytes)], clock: 1, signer: by.publicKey, time: T + 5500 })
  return { bytes, signature: by.sign(bytes) }
}

// A fork at seq 3: alice and bob each rotate their prekey while apart. Between two prekeys the lower
// SHA-256 wins (core/workspace/README.md, "Forks"); alice's time is chosen so that hers loses, so her
// journal shows the fork, bob's prekey kept at 3 and hers signed again at 4: seq 3, 3, 3, 4.
const prekeyOf = (on: MembershipLog, by: Person, time: number): SignedEntry => signNext(on, by, { kind: 'prekey', prekeyId: 2, prekey: new Uint8Array(32).fill(by === alice ? 13 : 23) }, time)
const bobsPrekey = prekeyOf(log, bob, T + 3000)
let alicesTime = T + 3000
while (Buffer.compare(sha256(prekeyOf(log, alice, alicesTime).bytes), sha256(bobsPrekey.bytes)) < 0) alicesTime++
const alicesPrekey = prekeyOf(log, alice, alicesTime)
const keptLog = MembershipLog.verify(primitives, [genesis, inviteEntry, admitEntry, bobsPrekey])
const alicesAgain = prekeyOf(keptLog, alice, alicesTime)
const fork = (dropped: SignedEntry, kept: string): JournalEntry =>
  membershipForkEntry({ time: T + 4000, workspace: log.workspaceId, seq: 3, entry: toBase64(dropped.bytes), signature: toBase64(dropped.signature), kept })
const forkOfAlices = (signature: Uint8Array, kept: string): JournalEntry[] =>
  [membership(alicesPrekey, 3, 'prekey'), fork({ bytes: alicesPrekey.bytes, signature }, kept), membership(bobsPrekey, 3, 'prekey'), membership(alicesAgain, 4, 'prekey')]
const bobsHash = toBase64(sha256(bobsPrekey.bytes))

// A second invite, which alice revokes before anyone uses it (a `revoke` entry names its invite key).
const secondInvite = signNext(log, alice, { kind: 'invite', inviteKey: stranger.publicKey, role: 'member', expires: T + 86_400_000 }, T + 2500)
const revokeLog = MembershipLog.verify(primitives, [genesis, inviteEntry, admitEntry, secondInvite])
const revokeEntry = signNext(revokeLog, alice, { kind: 'revoke', inviteKey: stranger.publicKey }, T + 2600)
const revoked = (signature: Uint8Array): JournalEntry[] =>
  [...membershipLog, membership(secondInvite, 3, 'invite'), membership({ bytes: revokeEntry.bytes, signature }, 4, 'revoke')]

const none = new Map<string, Body>()
write('valid-membership-revoke.txt', await fullExport(await journalOf(revoked(revokeEntry.signature)), none))
write('invalid-membership-revoke-signed-by-another-key.txt', await fullExport(await journalOf(revoked(bob.sign(revokeEntry.bytes))), none))
write('valid-membership-fork.txt', await fullExport(await journalOf([...membershipLog, ...forkOfAlices(alicesPrekey.signature, bobsHash)]), none))
write('invalid-membership-fork-signed-by-another-key.txt', await fullExport(await journalOf([...membershipLog, ...forkOfAlices(bob.sign(alicesPrekey.bytes), bobsHash)]), none))
write('invalid-membership-fork-kept-not-32-bytes.txt', await fullExport(await journalOf([...membershipLog, ...forkOfAlices(alicesPrekey.signature, toBase64(sha256(bobsPrekey.bytes).subarray(0, 16)))]), none))
write('valid-membership-and-channel.txt', await fullExport(await journalOf([...membershipLog, create, invited, channelEntry(topicBy(bob), 'topic')]), none))
write('invalid-membership-hello-zero-signature.txt', await fullExport(await journalOf([
  membershipEntry({ time: T, workspace: log.workspaceId, seq: 0, change: 'genesis', entry: toBase64(utf8('hello')), signature: toBase64(new Uint8Array(64)) })
]), none))
write('invalid-membership-signed-by-another-key.txt', await fullExport(await journalOf([
  membershipEntry({ time: T, workspace: log.workspaceId, seq: 0, change: 'genesis', entry: toBase64(genesis.bytes), signature: toBase64(bob.sign(genesis.bytes)) })
]), none))
write('invalid-membership-join-request-not-signed-with-invite.txt', await fullExport(await journalOf([...membershipLog.slice(0, 2), membership(forgedAdmit, 2, 'admit')]), none))
write('invalid-channel-entry-by-non-member.txt', await fullExport(await journalOf([...membershipLog, create, invited, channelEntry(topicBy(carol), 'topic')]), none))
write('valid-open-channel-join-and-leave.txt', await fullExport(await journalOf([...membershipLog, openEntry(openChannel.entries()[0]!, 'create'), openEntry(opened, 'open'), openEntry(carolJoins, 'join'), openEntry(carolLeaves, 'leave')]), none))
write('invalid-channel-join-not-open.txt', await fullExport(await journalOf([...membershipLog, create, invited, channelEntry(joinBy(channel, carol, inviteBob, 2), 'join')]), none))
write('invalid-channel-opened-by-non-creator.txt', await fullExport(await journalOf([...membershipLog, create, invited, channelEntry(openedBy(bob), 'open')]), none))
write('valid-channel-removal-naming-chains.txt', await fullExport(await journalOf([...membershipLog, create, invited, channelEntry(signedByAlice(removeBytes), 'remove')]), none))
write('invalid-channel-removal-chains-out-of-order.txt', await fullExport(await journalOf([...membershipLog, create, invited, channelEntry(signedByAlice(unorderedBytes), 'remove')]), none))
write('invalid-channel-entry-without-its-create.txt', await fullExport(await journalOf([invited, channelEntry(topicBy(bob), 'topic')]), none))

const bodies = new Map<string, Body>()
const messages = [fromBob(1, 'The quote is signed.', bodies), fromBob(3, 'Scaffolding on Monday.', bodies), fromBob(2, 'Total 12 900 EUR.', bodies)]
write('valid-seq-gap-and-reordering-warned.txt', await fullExport(await journalOf(messages), bodies))
// Before nodes checked it, a 1:1 message was filed in whatever conversation its statement named: here
// carol's, in alice's conversation with bob. Bob's channel message, read by alice alone, has the same
// shape but names the channel's conversation: no finding.
const inChannel = received(bob, { seq: 1, text: 'In the channel.', idByte: 70, salt: new Uint8Array(32).fill(70), conversation: channelConversationId(channel.channelId) }, bodies)
const slippedIn = received(carol, { seq: 1, text: 'Pay the new account.', idByte: 80, salt: new Uint8Array(32).fill(80), conversation: directConversationId(alice.publicKey, bob.publicKey) }, bodies)
write('valid-message-in-another-conversation-warned.txt', await fullExport(await journalOf([create, invited, inChannel, fromBob(1, 'The quote is signed.', bodies), slippedIn]), bodies))
const valid = await fullExport(await journalOf([fromBob(1, 'The quote is signed.', bodies)]), bodies)
write('valid-message-with-body.txt', valid)
write('valid-checkpoint-with-an-extension-line.txt', withExtensionLine(valid))
write('invalid-crlf-line-ends.txt', valid.replaceAll('\n', '\r\n'))
write('invalid-no-final-newline.txt', valid.slice(0, -1))
write('invalid-duplicate-body-line.txt', valid.replace(/^(body .*\n)/m, '$1$1'))
write('invalid-index-with-leading-zero.txt', valid.replace(/^entry 1 /m, 'entry 01 '))
const shortSalt = new Map<string, Body>()
write('invalid-salt-not-32-bytes.txt', await fullExport(await journalOf([fromBob(1, 'The quote is signed.', shortSalt, new Uint8Array(16).fill(1))]), shortSalt))
write('invalid-export-entry-without-redact.txt', await fullExport(await journalOf([fromBob(1, 'The quote is signed.', bodies)]), bodies, {}))
write('invalid-redacted-export-with-a-body.txt', await fullExport(await journalOf([fromBob(1, 'The quote is signed.', bodies)]), bodies, { redact: 'yes' }))
write('invalid-unknown-kind.txt', await fullExport(await journalOf([{ kind: 'note', time: T } as unknown as JournalEntry]), none))
write('invalid-time-not-an-integer.txt', await fullExport(await journalOf([{ kind: 'shutdown', time: String(T) } as unknown as JournalEntry]), none))

// --- a pair: a later export that extends an earlier one, and one of a journal that forked from it
const older = await journalOf([fromBob(1, 'The quote is signed.', bodies)])
write('pair-older.txt', await fullExport(older, bodies))
const forked = await journalOf([fromBob(1, 'The quote is signed.', bodies)])
await older.append([fromBob(2, 'Total 12 900 EUR.', bodies)])
write('pair-newer.txt', await fullExport(older, bodies))
// The same key, the same first entries, then a different history than the older file's.
await forked.append([fromBob(2, 'Total 12 400 EUR.', bodies), fromBob(3, 'Scaffolding on Monday.', bodies)])
write('pair-forked-newer.txt', await fullExport(forked, bodies))
