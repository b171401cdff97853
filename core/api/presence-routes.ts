// The routes of presence, focus and settings (docs/presence.md); routes.ts lists them with the rest.
import { defineRoute, type ApiRoute } from './route.js'
import { z } from 'zod'
import { ActivityReport, DigestView, DismissDigest, MuteRequest, PresenceUpdate, PresenceView, SettingsUpdate, SettingsView } from './schema.js'

export const presenceRoutes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/presence',
    operationId: 'getPresence',
    summary: 'Your presence as in force now: status, text, until, exceptions, mutes, held notifications',
    response: { kind: 'json', status: 200, schema: PresenceView, description: 'Your presence' },
    handle: async ({ node }) => await node.presence()
  }),
  defineRoute({
    method: 'put',
    path: '/presence',
    operationId: 'setPresence',
    summary: 'Set your presence (focus holds notifications for a digest); connected members are told at once',
    body: PresenceUpdate,
    response: { kind: 'json', status: 200, schema: PresenceView, description: 'Your presence, as set' },
    handle: async ({ node, body }) => await node.setPresence(body)
  }),
  defineRoute({
    method: 'post',
    path: '/presence/activity',
    operationId: 'reportActivity',
    summary: 'The user is active: restarts the idle time after which available turns away',
    body: ActivityReport,
    response: { kind: 'empty', description: 'Noted' },
    handle: async ({ node }) => { await node.reportActivity() }
  }),
  defineRoute({
    method: 'get',
    path: '/presence/digests',
    operationId: 'listDigests',
    summary: 'The digests of notifications held in focus or mute that you have not dismissed, oldest first (kept across restarts)',
    response: { kind: 'json', status: 200, schema: z.array(DigestView), description: 'The digests' },
    handle: async ({ node }) => await node.digests()
  }),
  defineRoute({
    method: 'post',
    path: '/presence/digests/{digestId}/dismiss',
    operationId: 'dismissDigest',
    summary: 'Dismiss a digest: it is no longer listed (NOT_FOUND if it is not)',
    body: DismissDigest,
    response: { kind: 'empty', description: 'Dismissed' },
    handle: async ({ node, c }) => { await node.dismissDigest(c.req.param('digestId') ?? '') }
  }),
  defineRoute({
    method: 'post',
    path: '/mute',
    operationId: 'muteConversation',
    summary: 'Mute or unmute a conversation: its notifications wait for a digest, as in focus',
    body: MuteRequest,
    response: { kind: 'json', status: 200, schema: PresenceView, description: 'Your presence, with its mutes' },
    handle: async ({ node, body }) => await node.mute(body)
  }),
  defineRoute({
    method: 'get',
    path: '/settings',
    operationId: 'getSettings',
    summary: 'Your settings (read receipts)',
    response: { kind: 'json', status: 200, schema: SettingsView, description: 'The settings' },
    handle: async ({ node }) => await node.settings()
  }),
  defineRoute({
    // route.ts lists get, post and put; register.ts and openapi.ts take any method name.
    method: 'patch',
    path: '/settings',
    operationId: 'updateSettings',
    summary: 'Change some settings; those not named keep their value',
    body: SettingsUpdate,
    response: { kind: 'json', status: 200, schema: SettingsView, description: 'The settings after the change' },
    handle: async ({ node, body }) => await node.updateSettings(body)
  })
]
