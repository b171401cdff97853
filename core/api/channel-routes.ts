// The routes of channels (docs/channels.md); routes.ts lists them with the rest. `{channel}` is a
// channel id, or a name that one channel has.
import { z } from 'zod'
import { defineRoute, type ApiRoute } from './route.js'
import { sentText } from './sent-text.js'
import { ChannelCreate, ChannelInvite, ChannelJoin, ChannelLeave, ChannelMessagesQuery, ChannelMessageView, ChannelMute, ChannelRead, ChannelSend, ChannelUpdate, ChannelView } from './schema.js'

const channelJson = (status: 200 | 201, description: string) => ({ kind: 'json' as const, status, schema: ChannelView, description })

export const channelRoutes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/channels',
    operationId: 'listChannels',
    summary: 'The channels this node knows: yours, those you left or were removed from, and the open channels of the workspace you may join (member false); the channel browser lists them all',
    response: { kind: 'json', status: 200, schema: z.array(ChannelView), description: 'Every channel, latest activity first' },
    handle: async ({ node }) => await node.channels()
  }),
  defineRoute({
    method: 'post',
    path: '/channels',
    operationId: 'createChannel',
    summary: 'Create a channel of the workspace: you are its first member and owner',
    body: ChannelCreate,
    response: channelJson(201, 'The new channel'),
    handle: async ({ node, body }) => await node.createChannel(body.name, body.topic, { open: body.open })
  }),
  defineRoute({
    method: 'get',
    path: '/channels/{channel}',
    operationId: 'getChannel',
    summary: 'A channel: name, topic, owner, members (longest standing first), unread count',
    response: channelJson(200, 'The channel'),
    handle: async ({ node, c }) => await node.channel(c.req.param('channel')!)
  }),
  defineRoute({
    method: 'patch',
    path: '/channels/{channel}',
    operationId: 'updateChannel',
    summary: 'Set the topic (any member) or archive the channel (the owner; nothing is sent after)',
    body: ChannelUpdate,
    response: channelJson(200, 'The channel after the change'),
    handle: async ({ node, c, body }) => await node.updateChannel(c.req.param('channel')!, body)
  }),
  defineRoute({
    method: 'post',
    path: '/channels/{channel}/members',
    operationId: 'inviteToChannel',
    summary: 'Invite workspace members: they read what is sent from their joining on',
    body: ChannelInvite,
    response: channelJson(200, 'The channel with its new members'),
    handle: async ({ node, c, body }) => await node.inviteToChannel(c.req.param('channel')!, body.peers)
  }),
  defineRoute({
    method: 'delete',
    path: '/channels/{channel}/members/{peerId}',
    operationId: 'removeFromChannel',
    summary: 'Remove a member (the owner only): every member rotates its sender key before its next message',
    response: channelJson(200, 'The channel without that member'),
    handle: async ({ node, c }) => await node.removeFromChannel(c.req.param('channel')!, c.req.param('peerId')!)
  }),
  defineRoute({
    method: 'post',
    path: '/channels/{channel}/leave',
    operationId: 'leaveChannel',
    summary: 'Leave a channel',
    body: ChannelLeave,
    response: channelJson(200, 'The channel, without you'),
    handle: async ({ node, c }) => await node.leaveChannel(c.req.param('channel')!)
  }),
  defineRoute({
    method: 'post',
    path: '/channels/{channel}/join',
    operationId: 'joinChannel',
    summary: 'Join an open channel (or one you left that is open): you read what is sent from then on',
    body: ChannelJoin,
    response: channelJson(200, 'The channel, with you'),
    handle: async ({ node, c }) => await node.joinChannel(c.req.param('channel')!)
  }),
  defineRoute({
    method: 'get',
    path: '/channels/{channel}/messages',
    operationId: 'listChannelMessages',
    summary: 'Messages of a channel, oldest first: `since` a time, or one `thread` (the message and its replies and reactions)',
    query: ChannelMessagesQuery,
    response: { kind: 'json', status: 200, schema: z.array(ChannelMessageView), description: 'The messages' },
    handle: async ({ node, c, query }) => await node.channelMessages(c.req.param('channel')!, query)
  }),
  defineRoute({
    method: 'post',
    path: '/channels/{channel}/messages',
    operationId: 'sendToChannel',
    summary: 'Send a message (in a thread with `replyTo`), with files staged by POST /files (`attachments`; the text may then be empty); it is queued durably for every member before this answers. A retry with the same `sendId` answers the message already stored and sends nothing',
    body: ChannelSend,
    response: { kind: 'json', status: 201, schema: ChannelMessageView, description: 'The message as stored' },
    handle: async ({ node, c, body }) => await node.sendToChannel(c.req.param('channel')!, sentText(body), {
      ...(body.replyTo !== undefined ? { replyTo: body.replyTo } : {}),
      ...(body.quote !== undefined ? { quote: body.quote } : {}),
      ...(body.urgent !== undefined ? { urgent: body.urgent } : {}),
      ...(body.attachments !== undefined ? { attachments: body.attachments } : {}),
      ...(body.sendId !== undefined ? { sendId: body.sendId } : {})
    })
  }),
  defineRoute({
    method: 'post',
    path: '/channels/{channel}/read',
    operationId: 'markChannelRead',
    summary: 'Mark a channel as read: its unread messages become read and, unless read receipts are off, their authors get signed read receipts',
    body: ChannelRead,
    response: { kind: 'empty', description: 'Marked as read' },
    handle: async ({ node, c }) => { await node.markChannelRead(c.req.param('channel')!) }
  }),
  defineRoute({
    method: 'put',
    path: '/channels/{channel}/mute',
    operationId: 'muteChannel',
    summary: 'Mute or unmute a channel, for good or until a time',
    body: ChannelMute,
    response: channelJson(200, 'The channel with its mute'),
    handle: async ({ node, c, body }) => await node.muteChannel(c.req.param('channel')!, body)
  })
]
