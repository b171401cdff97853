// A part of the node handed a dependency at start (core/node/port.ts): using it before, or handing
// it twice, is a wiring mistake that names the port, never a silent undefined.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Port } from '../../core/node/port.js'

describe('Port', () => {
  it('refuses to be used before it is connected, naming what is missing', () => {
    const port = new Port<{ flush: () => void }>('the messenger of the channels')
    assert.throws(() => port.get(), /the messenger of the channels is used before the node started/)
  })

  it('gives what it was handed, and refuses a second one', () => {
    const port = new Port<string>('the listeners')
    port.connect('first')
    assert.equal(port.get(), 'first')
    assert.throws(() => { port.connect('second') }, /the listeners is connected twice/)
    assert.equal(port.get(), 'first')
  })
})
