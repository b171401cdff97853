// When an update may swap: quiet for a while, or waited long enough; and who supervises us.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isQuietMoment, waitForQuietMoment, type QuietSignals } from '../../core/update/swap/quiet-moment.js'
import { detectSupervisor } from '../../core/update/swap/restart.js'
import { ActivityClock } from '../../core/update/swap/activity-clock.js'
import type { EventFrame } from '../../core/api/schema.js'

const init = { quietMs: 10_000, maxWaitMs: 600_000 }
const signals = (busy: boolean, lastActivityAt: number): QuietSignals => ({ busy: () => busy, lastActivityAt: () => lastActivityAt })

describe('the quiet moment', () => {
  it('waits while something is in flight or the user acted recently', () => {
    assert.equal(isQuietMoment(signals(true, 0), 100_000, { ...init, now: () => 100_000 }), false)
    assert.equal(isQuietMoment(signals(false, 95_000), 100_000, { ...init, now: () => 100_000 }), false)
  })

  it('swaps once quiet for quietMs', () => {
    assert.equal(isQuietMoment(signals(false, 90_000), 100_000, { ...init, now: () => 100_000 }), true)
  })

  it('never postpones past maxWaitMs, however busy', () => {
    assert.equal(isQuietMoment(signals(true, 699_999), 100_000, { ...init, now: () => 700_000 }), true)
  })

  // A desk's clock corrected back a day while an update waited: before, it waited that day too.
  it('goes ahead when the clock went back while it waited', () => {
    assert.equal(isQuietMoment(signals(true, 100_000), 100_000, { ...init, now: () => 100_000 - 86_400_000 }), true)
  })

  it('resolves when the activity stops', async () => {
    let now = 0
    let polls = 0
    const watched: QuietSignals = { busy: () => polls < 3, lastActivityAt: () => -init.quietMs }
    await waitForQuietMoment(watched, { ...init, pollMs: 1, now: () => { polls++; return now += 1 } })
    assert.ok(polls >= 3)
  })
})

describe('the supervisor', () => {
  it('is systemd only when systemd set INVOCATION_ID and is our parent', () => {
    assert.equal(detectSupervisor({ INVOCATION_ID: 'abc' }, () => 'systemd'), 'systemd')
    // A shell in a terminal that systemd started inherits INVOCATION_ID: it restarts nothing.
    assert.equal(detectSupervisor({ INVOCATION_ID: 'abc' }, () => 'bash'), undefined)
    assert.equal(detectSupervisor({}, () => 'systemd'), undefined)
    // A unit may say so itself.
    assert.equal(detectSupervisor({ CAUSETTE_SUPERVISOR: 'systemd' }, () => undefined), 'systemd')
  })
})

describe('the activity clock', () => {
  it('counts traffic and the user reading, not colleagues\' presence', () => {
    let now = 1_000
    const clock = new ActivityClock(() => now)
    const frame = (event: object): EventFrame => ({ id: 1, epoch: 'e', event } as unknown as EventFrame)
    now = 2_000
    clock.observe(frame({ type: 'presence', presence: {} }))
    clock.observe(frame({ type: 'peer', peer: {} }))
    assert.equal(clock.lastActivityAt(), 1_000)
    now = 3_000
    clock.observe(frame({ type: 'message-state', id: 'x' }))
    assert.equal(clock.lastActivityAt(), 3_000)
  })
})
