// The routes of updates (core/update): what runs where, an admin's release bundle, the workspace's pause.
import { RELEASE_BUNDLE_TYPE, UPDATE_APPLY_PATH } from './paths.js'
import { defineRoute, type ApiRoute } from './route.js'
import { UpdatePause, UpdateStatus } from './schema.js'
import { CausetteError } from '../errors.js'

export const updateRoutes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/update',
    operationId: 'getUpdateStatus',
    summary: 'What runs where ("7 of 9 desks on 0.3.0"), the release this node holds, its download, and whether updates are paused',
    response: { kind: 'json', status: 200, schema: UpdateStatus, description: 'The update status' },
    handle: async ({ node }) => await node.updateStatus()
  }),
  defineRoute({
    method: 'post',
    path: UPDATE_APPLY_PATH,
    operationId: 'applyUpdate',
    summary: 'Give this node a release bundle (admins only): checked against the release key, the version and every file\'s SHA-256, then kept and announced to colleagues. A refusal is journaled and leaves nothing on disk',
    rawBody: { contentType: RELEASE_BUNDLE_TYPE, description: 'The bundle made by `npm run release:sign -- --bundle`' },
    response: { kind: 'json', status: 200, schema: UpdateStatus, description: 'The update status with the release held' },
    handle: async ({ node, c }) => {
      const body = c.req.raw.body
      if (body === null) throw new CausetteError('BAD_REQUEST', 'the body must be the release bundle')
      return await node.applyUpdate(body)
    }
  }),
  defineRoute({
    method: 'post',
    path: '/update/pause',
    operationId: 'pauseUpdates',
    summary: 'Pause or resume updates for the whole workspace (admins only): a signed decision every colleague checks',
    body: UpdatePause,
    response: { kind: 'json', status: 200, schema: UpdateStatus, description: 'The update status' },
    handle: async ({ node, body }) => await node.pauseUpdates(body.paused)
  })
]
