// The event stream's socket writes of one tick leave as one system call (core/api/turn-writes.ts):
// a message's events, a group commit's messages, each a frame of its own, in one `writev`.
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, it } from 'node:test'
import { oneWritePerTick } from '../../core/api/turn-writes.js'

/** A socket stand-in that records what each system call would have written. */
function recordingSocket (): { socket: Writable, calls: string[][] } {
  const calls: string[][] = []
  const socket = new Writable({
    write (chunk: Buffer, _encoding, done) { calls.push([chunk.toString()]); done() },
    writev (chunks, done) { calls.push(chunks.map(({ chunk }) => (chunk as Buffer).toString())); done() }
  })
  return { socket, calls }
}

describe('oneWritePerTick', () => {
  it('writes a tick\'s frames in one call, in order, and the next tick\'s in another', async () => {
    const { socket, calls } = recordingSocket()
    const beforeWrite = oneWritePerTick(socket)
    for (const frame of ['message', 'conversation', 'delivered']) {
      beforeWrite()
      socket.write(frame)
    }
    await new Promise(resolve => setImmediate(resolve))
    beforeWrite()
    socket.write('next')
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(calls, [['message', 'conversation', 'delivered'], ['next']])
  })

  it('writes what it is given at once where there is no socket to cork (app.request)', () => {
    assert.doesNotThrow(() => { oneWritePerTick(undefined)() })
  })
})
