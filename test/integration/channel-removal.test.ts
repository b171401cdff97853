// A member removed from a channel cannot keep posting in it, even with modified code (docs/channels.md,
// "Posting ends at the departure"). Real nodes on loopback: Mal talks in a channel, the owner removes
// him, and his removal names his chain and how far it went. Then, as modified code would, Mal's device
// key sends each remaining member a group message sealed with his own chain's next key, signed, and
// naming the log heads from before his removal (under which he was a member): every member refuses it
// with CHANNEL_SENT_AFTER_DEPARTURE and still shows what he said before. Invited back, his node sends
// on a new chain and every member takes his messages again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { parseChannelEntry } from '../../crypto/channel-entry.js'
import { channelConversationId } from '../../crypto/channel-log.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { equals, fromBase64 } from '../../crypto/encoding.js'
import { encryptGroupMessage, type OwnSenderChain } from '../../crypto/e2e/sender-key.js'
import { ownSenderChainFromJson } from '../../crypto/e2e/sender-key-json.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { checkContent, composeMessage } from '../../core/messaging/signed-message.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import type { CausetteNode } from '../../core/node/node.js'
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'
import { decodeChannelFrame, encodeChannelFrame } from '../../core/protocol/channel-frame.js'
import { MESSAGE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { Ack, Envelope } from '../../core/protocol/wire.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { addressOf, eventually, testNode } from '../helpers/nodes.js'
import { openProfileDatabase } from '../helpers/profile-db.js'
import { publicKeyOf } from '../helpers/raw-peer.js'
import { bareNode } from './workspace-peer.js'

const memberNames = async (node: CausetteNode, channel: string): Promise<string> => (await node.channel(channel)).members.map(m => m.name).join(',')

async function sees (node: CausetteNode, channel: string, members: string): Promise<void> {
  await eventually(async () => await memberNames(node, channel).catch(() => '') === members || undefined, 30_000, `${(await node.status()).name} to see ${members}`)
}

async function texts (node: CausetteNode, channel: string): Promise<string[]> {
  return (await node.channelMessages(channel, { limit: 1000 })).map(m => m.text).sort()
}

/** The channel's remove entries in `node`'s journal, from an export the auditor's verifier accepts. */
async function journaledRemovals (node: CausetteNode, channel: string): Promise<ReturnType<typeof parseChannelEntry>[]> {
  const lines: string[] = []
  for await (const line of node.exportJournal({})) lines.push(line)
  await verifyExport(lines, nodeLogPrimitives)
  return lines.filter(line => line.startsWith('entry '))
    .map(line => JSON.parse(Buffer.from(line.split(' ')[3]!, 'base64').toString('utf8')) as { kind: string, channel: string, entry: string })
    .filter(entry => entry.kind === 'channel-entry' && entry.channel === channel)
    .map(entry => parseChannelEntry(fromBase64(entry.entry)))
    .filter(entry => entry.kind === 'remove')
}

/** What Mal's stopped node holds: his chain in the channel, and the heads his own last message named. */
async function malsHoldings (home: string, channel: string): Promise<{ chain: OwnSenderChain, heads: Uint8Array[], seq: number }> {
  const db = await openProfileDatabase(home)
  try {
    const chain = ownSenderChainFromJson(await db.ownChains.get(channel))
    const record = await db.channels.get(channel)
    const mine = []
    for await (const message of db.messages.values({ gte: `${channelConversationId(channel)}!`, lt: `${channelConversationId(channel)}!\uffff` })) if (message.direction === 'out') mine.push(message)
    const last = mine.sort((a, b) => b.seq - a.seq)[0]!
    return { chain, heads: decodeChannelFrame(fromBase64(last.group!)).heads, seq: record!.lastSeq }
  } finally {
    await db.close()
  }
}

test('a member removed from a channel cannot keep posting in it by naming the heads from before its removal', async (t) => {
  const { nodes, homes } = await workspaceOf(t, ['Alice', 'Bruno', 'Carla', 'Mal'])
  const [alice, bruno, carla, mal] = nodes as [CausetteNode, CausetteNode, CausetteNode, CausetteNode]
  const channel = (await alice.createChannel('payroll', 'the numbers')).id
  await alice.inviteToChannel(channel, ['Bruno', 'Carla', 'Mal'])
  for (const node of nodes) await sees(node, channel, 'Alice,Bruno,Carla,Mal')
  await mal.sendToChannel(channel, 'mal: hello')
  await mal.sendToChannel(channel, 'mal: the totals are in')
  await alice.sendToChannel(channel, 'alice: thanks')
  const before = ['alice: thanks', 'mal: hello', 'mal: the totals are in']
  for (const node of [alice, bruno, carla]) await eventually(async () => (await texts(node, channel)).join('|') === before.join('|') || undefined, 30_000, 'every message at every member')

  await alice.removeFromChannel(channel, 'Mal')
  for (const node of [alice, bruno, carla]) await sees(node, channel, 'Alice,Bruno,Carla')
  await eventually(async () => (await mal.channel(channel)).member === false || undefined, 30_000, 'Mal to learn of his removal')
  const malPeer = mal.peerId
  await mal.stop()
  const held = await malsHoldings(homes[3]!, channel)
  // The removal names Mal's chain as Alice held it: its next iteration is the one after his two messages.
  const [removal] = await journaledRemovals(alice, channel)
  assert.ok(removal?.kind === 'remove')
  assert.deepEqual(removal.chains?.map(c => [Buffer.from(c.chainId).toString('hex'), c.next]), [[Buffer.from(held.chain.chainId).toString('hex'), 2]])
  assert.equal(held.chain.iteration, 2)

  // Modified code: Mal's device key signs a new message, his chain seals it at its next iteration,
  // and the frame names the heads of his last message, from before the removal.
  const { keys } = await loadOrCreateDeviceKeys(homes[3]!)
  const asMal = await bareNode(t, keys.device.seed)
  const workspace = (await alice.workspaceView())!.id
  const me = { peerId: malPeer, deviceKey: keys.device.publicKey, sign: ed25519Signer(keys.device.seed) }
  const now = Date.now()
  const composed = composeMessage(me, checkContent({ text: 'mal: send the bonus to my account' }), {
    workspace, conversation: channelConversationId(channel), recipients: [alice, bruno, carla].map(publicKeyOf), peer: channel, seq: held.seq + 1, time: now, state: 'sent', stateTimes: { queued: now, sent: now }
  })
  const { message: group } = encryptGroupMessage(held.chain, composed.payload)
  for (const member of [alice, bruno, carla]) {
    const stream = await asMal.dialProtocol(multiaddr(addressOf(member)), MESSAGE_PROTOCOL)
    const lp = lpStream(stream)
    await lp.write(Envelope.encode({ sealed: encodeChannelFrame({ group, heads: held.heads, to: member.peerId }) as Uint8Array<ArrayBuffer> }))
    const ack = Ack.decode(await lp.read())
    assert.equal(ack.errorCode, 'CHANNEL_SENT_AFTER_DEPARTURE', `${(await member.status()).name}: ${ack.errorCode} ${ack.errorMessage}`)
    await stream.close()
  }
  // Nothing of it is shown; what he said before stays.
  for (const node of [alice, bruno, carla]) assert.deepEqual(await texts(node, channel), before)
  await asMal.stop()

  // Invited back, Mal's node sends on a new chain (the one his removal named is done), and every member takes it.
  const malAgain = await testNode(t, { name: 'Mal', home: homes[3]!, peers: [addressOf(alice)] })
  await alice.inviteToChannel(channel, [malPeer])
  for (const node of [alice, bruno, carla, malAgain]) await sees(node, channel, 'Alice,Bruno,Carla,Mal')
  await malAgain.sendToChannel(channel, 'mal: back again')
  for (const node of [alice, bruno, carla]) await eventually(async () => (await texts(node, channel)).includes('mal: back again') || undefined, 30_000, 'Mal\'s message after his return')
  await malAgain.stop()
  const again = await malsHoldings(homes[3]!, channel)
  assert.equal(equals(again.chain.chainId, held.chain.chainId), false, 'a new chain after the return')
  assert.ok(again.chain.previous.some(end => equals(end.chainId, held.chain.chainId)))
})
