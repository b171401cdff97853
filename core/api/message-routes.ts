// Editing, deleting and reacting to a message (core/messaging/amendments.ts): each is a signed
// message of its own that names the earlier one; the answer is that message as now shown. One the
// message already shows (the same text, our reaction there or gone, deleted) sends nothing: a retry
// of a request whose answer was lost is safe without a sendId.
import { z } from 'zod'
import { defineRoute, type ApiRoute } from './route.js'
import { ChannelMessageView, EditRequest, MessageView, ReactRequest } from './schema.js'


const json = <T extends z.ZodType>(schema: T, description: string) => ({ kind: 'json' as const, status: 200 as const, schema, description })
const param = (c: { req: { param: (name: string) => string | undefined } }, name: string): string => c.req.param(name)!

export const messageRoutes: ApiRoute[] = [
  defineRoute({
    method: 'patch',
    path: '/messages/{id}',
    operationId: 'editMessage',
    summary: 'Edit one of your 1:1 messages: a signed edit that names it (AMEND_NOT_AUTHOR for someone else\'s); every version stays in the journal',
    body: EditRequest,
    response: json(MessageView, 'The message as now shown (edited, with its versions)'),
    handle: async ({ node, c, body }) => await node.amendMessage(param(c, 'id'), { kind: 'edit', text: body.text })
  }),
  defineRoute({
    method: 'delete',
    path: '/messages/{id}',
    operationId: 'deleteMessage',
    summary: 'Delete one of your 1:1 messages: a signed retraction that names it; the journal keeps the original',
    response: json(MessageView, 'The message as now shown (deleted, no text)'),
    handle: async ({ node, c }) => await node.amendMessage(param(c, 'id'), { kind: 'retract' })
  }),
  defineRoute({
    method: 'post',
    path: '/messages/{id}/reactions',
    operationId: 'react',
    summary: 'React to a 1:1 message (a signed message of its own that names it)',
    body: ReactRequest,
    response: json(MessageView, 'The message with its reactions'),
    handle: async ({ node, c, body }) => await node.amendMessage(param(c, 'id'), { kind: 'reaction', emoji: body.emoji, removed: false })
  }),
  defineRoute({
    method: 'post',
    path: '/messages/{id}/reactions/remove',
    operationId: 'unreact',
    summary: 'Take back your reaction to a 1:1 message (a signed message that names it)',
    body: ReactRequest,
    response: json(MessageView, 'The message with its reactions'),
    handle: async ({ node, c, body }) => await node.amendMessage(param(c, 'id'), { kind: 'reaction', emoji: body.emoji, removed: true })
  }),
  defineRoute({
    method: 'patch',
    path: '/channels/{channel}/messages/{messageId}',
    operationId: 'editChannelMessage',
    summary: 'Edit one of your channel messages (as PATCH /messages/{id})',
    body: EditRequest,
    response: json(ChannelMessageView, 'The message as now shown'),
    handle: async ({ node, c, body }) => await node.amendChannelMessage(param(c, 'channel'), param(c, 'messageId'), { kind: 'edit', text: body.text })
  }),
  defineRoute({
    method: 'delete',
    path: '/channels/{channel}/messages/{messageId}',
    operationId: 'deleteChannelMessage',
    summary: 'Delete one of your channel messages (as DELETE /messages/{id})',
    response: json(ChannelMessageView, 'The message as now shown'),
    handle: async ({ node, c }) => await node.amendChannelMessage(param(c, 'channel'), param(c, 'messageId'), { kind: 'retract' })
  }),
  defineRoute({
    method: 'post',
    path: '/channels/{channel}/messages/{messageId}/reactions',
    operationId: 'reactInChannel',
    summary: 'React to a channel message (a signed message of its own that names it)',
    body: ReactRequest,
    response: json(ChannelMessageView, 'The message with its reactions'),
    handle: async ({ node, c, body }) => await node.amendChannelMessage(param(c, 'channel'), param(c, 'messageId'), { kind: 'reaction', emoji: body.emoji, removed: false })
  }),
  defineRoute({
    method: 'post',
    path: '/channels/{channel}/messages/{messageId}/reactions/remove',
    operationId: 'unreactInChannel',
    summary: 'Take back your reaction to a channel message',
    body: ReactRequest,
    response: json(ChannelMessageView, 'The message with its reactions'),
    handle: async ({ node, c, body }) => await node.amendChannelMessage(param(c, 'channel'), param(c, 'messageId'), { kind: 'reaction', emoji: body.emoji, removed: true })
  })
]
