// The routes a locked node serves (locked-app.ts), and nothing else under /api: the node proof the app
// asks before sending its token, the status saying it is locked, and the unlock. Same table format as
// routes.ts, so register.ts validates their input the same way.
import { VERSION } from '../runtime/build-info.js'
import type { LockedNode } from './locked-node.js'
import { nodeProofRoute } from './node-proof.js'
import { UNLOCK_PATH } from './paths.js'
import { defineRoute, type ApiRoute } from './route.js'
import { LockedStatus, UnlockRequest, UnlockResult } from './schema.js'

export const lockedRoutes: Array<ApiRoute<unknown, unknown, LockedNode>> = [
  nodeProofRoute,
  defineRoute<undefined, undefined, LockedNode>({
    method: 'get',
    path: '/status',
    operationId: 'getStatus',
    summary: 'The locked node: it waits for its passphrase',
    response: { kind: 'json', status: 200, schema: LockedStatus, description: 'The profile it waits to open' },
    handle: async ({ node }) => ({ locked: true, profile: node.profile, name: node.name, version: VERSION })
  }),
  defineRoute<undefined, UnlockRequest, LockedNode>({
    method: 'post',
    path: UNLOCK_PATH,
    operationId: 'unlock',
    summary: 'Opens the profile with its passphrase and starts the node',
    body: UnlockRequest,
    response: { kind: 'json', status: 200, schema: UnlockResult, description: 'The node is started; every route answers now' },
    handle: async ({ node, body }) => {
      await node.unlock(body.passphrase)
      return { locked: false }
    }
  })
]
