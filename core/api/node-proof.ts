// GET /api/v1/node-proof?challenge=: the node proves to the app that it holds the API token, before
// the app sends it (crypto/api-proof.ts). No token is needed to ask; the Host and Origin checks of
// guard.ts still apply, and the Host they checked names the origin the proof is bound to.
import type { Context, MiddlewareHandler } from 'hono'
import { apiProof, apiProofKey } from '../../crypto/api-proof.js'
import { NodeProofQuery } from './query-schemas.js'
import { defineRoute } from './route.js'
import { NODE_PROOF_PATH, NodeProof } from './schema.js'

declare module 'hono' {
  interface ContextVariableMap {
    apiProofKey: CryptoKey
  }
}

/** Hands the token's proof key to the route (the route table's handlers see the request, not the server). */
export function provideProofKey (token: string): MiddlewareHandler {
  const key = apiProofKey(token)
  return async (c, next) => {
    c.set('apiProofKey', await key)
    await next()
  }
}

async function answerNodeProof (c: Context, { challenge }: NodeProofQuery): Promise<NodeProof> {
  const origin = `http://${c.req.header('host') ?? ''}`
  return { proof: await apiProof(c.get('apiProofKey'), origin, challenge) }
}

/** The route, in the started node's table and the locked node's alike (it reads no node). */
export const nodeProofRoute = defineRoute<NodeProofQuery, undefined, unknown>({
  method: 'get',
  path: NODE_PROOF_PATH,
  operationId: 'proveNode',
  summary: 'Proves that this server holds the API token without revealing it; the one route that needs no token. The app asks before sending its token',
  query: NodeProofQuery,
  response: { kind: 'json', status: 200, schema: NodeProof, description: 'The proof for this challenge and the origin the request reached' },
  handle: async ({ query, c }) => await answerNodeProof(c, query)
})
