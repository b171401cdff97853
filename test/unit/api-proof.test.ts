// The node proof (crypto/api-proof.ts, GET /api/v1/node-proof): only a holder of the token answers a
// challenge, for one origin; the answer is refused under another key, challenge or origin.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createApiApp } from '../../core/api/app.js'
import { apiProof, apiProofKey, checkApiProof, newChallenge } from '../../crypto/api-proof.js'
import { FakeNode } from './api-fake-node.js'

const TOKEN = 'the-users-token'
const ORIGIN = 'http://127.0.0.1:7421'

describe('API node proof', () => {
  it('accepts the proof of the token for this challenge and origin', async () => {
    const key = await apiProofKey(TOKEN)
    const challenge = newChallenge()
    assert.equal(await checkApiProof(key, ORIGIN, challenge, await apiProof(key, ORIGIN, challenge)), true)
  })

  it('refuses a proof made with another token, for another challenge or for another origin', async () => {
    const key = await apiProofKey(TOKEN)
    const challenge = newChallenge()
    const refused = async (proof: string): Promise<void> => {
      assert.equal(await checkApiProof(key, ORIGIN, challenge, proof), false)
    }
    await refused(await apiProof(await apiProofKey('another-token'), ORIGIN, challenge))
    await refused(await apiProof(key, ORIGIN, newChallenge()))
    // The real node reached on another port (a relayed challenge) answers for that port.
    await refused(await apiProof(key, 'http://127.0.0.1:7422', challenge))
    await refused(await apiProof(key, 'http://localhost:7421', challenge))
  })

  it('refuses malformed proofs and challenges', async () => {
    const key = await apiProofKey(TOKEN)
    const challenge = newChallenge()
    const proof = await apiProof(key, ORIGIN, challenge)
    for (const bad of ['', proof.slice(1), `${proof}=`, proof.replace(/.$/, '+'), TOKEN]) {
      assert.equal(await checkApiProof(key, ORIGIN, challenge, bad), false, bad)
    }
    await assert.rejects(apiProof(key, ORIGIN, 'short'), /32 bytes of base64url/)
    await assert.rejects(apiProof(key, `${ORIGIN}\nx`, challenge), /line break/)
  })

  it('never puts the token in the proof', async () => {
    const challenge = newChallenge()
    const proof = await apiProof(await apiProofKey(TOKEN), ORIGIN, challenge)
    assert.equal(proof.includes(TOKEN), false)
    assert.match(proof, /^[A-Za-z0-9_-]{43}$/)
  })
})

describe('GET /api/v1/node-proof', () => {
  const app = createApiApp({ node: new FakeNode(), token: TOKEN, port: 7421, uiDir: undefined })
  const ask = async (challenge: string, host = '127.0.0.1:7421'): Promise<Response> =>
    await app.request(`http://${host}/api/v1/node-proof?challenge=${challenge}`, { headers: { host } })

  it('answers without a token, with a proof the app accepts for its origin', async () => {
    const challenge = newChallenge()
    const response = await ask(challenge)
    assert.equal(response.status, 200)
    const { proof } = await response.json() as { proof: string }
    const key = await apiProofKey(TOKEN)
    assert.equal(await checkApiProof(key, ORIGIN, challenge, proof), true)
    assert.equal(await checkApiProof(key, 'http://127.0.0.1:7422', challenge, proof), false)
  })

  it('binds the proof to the loopback name the app used', async () => {
    const challenge = newChallenge()
    const { proof } = await (await ask(challenge, 'localhost:7421')).json() as { proof: string }
    const key = await apiProofKey(TOKEN)
    assert.equal(await checkApiProof(key, 'http://localhost:7421', challenge, proof), true)
    assert.equal(await checkApiProof(key, ORIGIN, challenge, proof), false)
  })

  it('is documented as an operation without the token, with the download link alone beside it', async () => {
    const document = await (await app.request('http://127.0.0.1:7421/api/v1/openapi.json', { headers: { host: '127.0.0.1:7421', authorization: `Bearer ${TOKEN}` } })).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> }
    const open = Object.entries(document.paths).flatMap(([path, operations]) => Object.values(operations).filter(operation => operation.security?.length === 0).map(() => path))
    assert.deepEqual(open.sort(), ['/downloads/{ticket}', '/node-proof'])
  })

  it('refuses another Host, a bad challenge, and every other route without the token', async () => {
    assert.equal((await ask(newChallenge(), '127.0.0.1:7422')).status, 403)
    assert.equal((await ask('not-a-challenge')).status, 400)
    const other = await app.request('http://127.0.0.1:7421/api/v1/node-proof/x', { headers: { host: '127.0.0.1:7421' } })
    assert.equal(other.status, 401)
    const post = await app.request('http://127.0.0.1:7421/api/v1/node-proof', { method: 'POST', headers: { host: '127.0.0.1:7421', 'content-type': 'application/json' }, body: '{}' })
    assert.equal(post.status, 401)
  })
})
