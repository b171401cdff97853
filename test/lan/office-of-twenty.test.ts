// The office this is for: twenty desks on one LAN (network namespaces on one bridge, real mDNS), all
// in one workspace, made as an office would (the first desk creates it and invites the others). Each
// desk finds and connects to the nineteen others by itself, a channel of all twenty carries a message
// to every member, and every desk writes to the next one. What the idle office costs each desk is
// in the bench (`npm run bench -- --only office`).
import { test } from 'node:test'
import type { ChannelMessageView, ChannelView, MessageView } from '../../core/api/schema.js'
import { createLan } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { eventually } from '../helpers/lan-wait.js'
import { fullMesh, startSoakOffice, type SoakMember } from '../helpers/soak-nodes.js'

const NAMES = ['ada', 'bob', 'cyd', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jon', 'kim', 'lea', 'max', 'nia', 'oli', 'pam', 'quy', 'rui', 'sam', 'tea']
/** Twenty daemons share this machine's cores: each wait is generous (and four times that under load). */
const OFFICE_WAIT = { timeoutMs: 60_000, pollMs: 500 }

/** Whether `member` lists the message `id` of a channel it may not know yet (404 until its invitation arrives). */
async function channelHas (member: SoakMember, channel: string, id: string): Promise<boolean> {
  const answer = await member.api.call('GET', `/api/v1/channels/${channel}/messages`)
  return 'status' in answer && answer.status === 200 && (answer.body as ChannelMessageView[]).some(message => message.id === id)
}

test('an office of twenty desks: every desk connects to every other, a channel of twenty reaches each member, each desk writes to the next', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: NAMES.length })
  const members = await startSoakOffice(t, lan.hosts, NAMES)
  const startedAt = Date.now()
  await fullMesh(members, OFFICE_WAIT.timeoutMs)
  t.diagnostic(`full mesh of twenty ${Date.now() - startedAt} ms after the last desk started`)

  const [admin, ...colleagues] = members as [SoakMember, ...SoakMember[]]
  const channel = await admin.api.post<ChannelView>('/api/v1/channels', { name: 'office' })
  await admin.api.post(`/api/v1/channels/${channel.id}/members`, { peers: colleagues.map(member => member.peerId) })
  const sentAt = Date.now()
  const sent = await admin.api.post<ChannelMessageView>(`/api/v1/channels/${channel.id}/messages`, { text: 'Staff meeting at ten' })
  await Promise.all(colleagues.map(async member => {
    await eventually(`${member.name} to have the channel's message`, async () => await channelHas(member, channel.id, sent.id), OFFICE_WAIT)
  }))
  t.diagnostic(`a channel message at all nineteen members ${Date.now() - sentAt} ms after it was sent`)

  const nextOf = (index: number): SoakMember => members[(index + 1) % members.length]!
  const ids = await Promise.all(members.map(async (member, index) =>
    (await member.api.post<MessageView>('/api/v1/messages', { to: nextOf(index).peerId, text: `Hello ${nextOf(index).name}` })).id))
  await Promise.all(members.map(async (member, index) => {
    const recipient = nextOf(index)
    await eventually(`${recipient.name} to have ${member.name}'s message, and ${member.name} to see it delivered`, async () => {
      const received = await recipient.api.get<MessageView[]>(`/api/v1/messages?with=${member.peerId}`)
      const own = await member.api.get<MessageView[]>(`/api/v1/messages?with=${recipient.peerId}`)
      return received.some(message => message.id === ids[index]) && own.some(message => message.id === ids[index] && message.state === 'delivered')
    }, OFFICE_WAIT)
  }))
})
