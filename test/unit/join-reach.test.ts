// Why a dial to the inviting computer failed (core/workspace/join-reach.ts): a computer that never
// accepted a connection of this join is reported at once, with the reason its error gives; one that
// accepted a connection is only busy, and joining waits for it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { acceptedBy, unreachedBecause } from '../../core/workspace/join-reach.js'

const socketError = (code: string): Error => Object.assign(new Error(`connect ${code} 10.1.2.3:7420`), { code })
const named = (name: string): Error => Object.assign(new Error('The operation was aborted'), { name })

describe('why the inviting computer could not be reached', () => {
  it('names each socket error of a connection never accepted', () => {
    assert.equal(unreachedBecause(socketError('ECONNREFUSED'), false), 'JOIN_NOT_RUNNING')
    assert.equal(unreachedBecause(socketError('ENETUNREACH'), false), 'JOIN_NO_ROUTE')
    assert.equal(unreachedBecause(socketError('ENETDOWN'), false), 'JOIN_NO_ROUTE')
    assert.equal(unreachedBecause(socketError('EHOSTUNREACH'), false), 'JOIN_NO_ANSWER')
    assert.equal(unreachedBecause(socketError('ETIMEDOUT'), false), 'JOIN_NO_ANSWER')
  })

  it('takes a dial that ran out of time before any connection was accepted for no answer at all', () => {
    assert.equal(unreachedBecause(named('AbortError'), false), 'JOIN_NO_ANSWER')
    assert.equal(unreachedBecause(named('TimeoutError'), false), 'JOIN_NO_ANSWER')
  })

  it('waits for a computer that accepted a connection of this join, whatever failed after', () => {
    for (const error of [socketError('ECONNRESET'), socketError('ECONNREFUSED'), named('AbortError'), named('EncryptionFailedError')]) {
      assert.equal(unreachedBecause(error, true), undefined, error.message)
    }
  })

  it('says nothing of an error that tells nothing of the network (tried again, as before)', () => {
    assert.equal(unreachedBecause(socketError('EMFILE'), false), undefined)
    assert.equal(unreachedBecause(named('DialError'), false), undefined)
    assert.equal(unreachedBecause(socketError('toString'), false), undefined, 'no name of an object\'s prototype')
  })

  it('hears the connection accepted when libp2p starts upgrading it', () => {
    assert.equal(acceptedBy({ type: 'tcp:open-connection' }), false)
    assert.equal(acceptedBy({ type: 'upgrader:encrypt-outbound-connection' }), true)
  })
})
