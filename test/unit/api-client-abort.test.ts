// A client that goes away mid-upload (the app's Cancel aborts its XHR) is no fault of the node: the
// API answers without logging it as an unexpected error; any other unexpected error is still logged.
import assert from 'node:assert/strict'
import { describe, it, mock } from 'node:test'
import { Hono } from 'hono'
import { respondToError } from '../../core/api/errors.js'

function appThrowing (error: Error): Hono {
  const app = new Hono()
  app.post('/upload', () => { throw error })
  app.onError(respondToError)
  return app
}

const connectionReset = (): Error => Object.assign(new Error('aborted'), { code: 'ECONNRESET' })

describe('the API and a client that went away', () => {
  it('does not log an upload the client aborted (ECONNRESET)', async () => {
    const logged = mock.method(console, 'error', () => {})
    try {
      const response = await appThrowing(connectionReset()).request('/upload', { method: 'POST' })
      assert.equal(response.status, 400)
      assert.equal(logged.mock.callCount(), 0)
    } finally {
      logged.mock.restore()
    }
  })

  it('still logs any other unexpected error', async () => {
    const logged = mock.method(console, 'error', () => {})
    try {
      const response = await appThrowing(new TypeError('a bug')).request('/upload', { method: 'POST' })
      assert.equal(response.status, 500)
      assert.equal(logged.mock.callCount(), 1)
    } finally {
      logged.mock.restore()
    }
  })
})
