// A clock that is off, in words: ours (the app's banner), a colleague's (People), a message's claimed
// time against its arrival. The node measures (core/presence/clock-skew.ts); this only words it.
import { clockDistance as distance } from '../../../core/api/clock-words.js'
import type { ClockView } from '../../../core/api/schema.js'

/** Clocks closer than this agree (the node's CLOCK_SKEW_SHOWN_MS). */
export const CLOCK_SKEW_SHOWN_MS = 5 * 60_000

/** The banner when our clock is off: undefined when it agrees with our colleagues'. */
export function ownClockWarning (clock: ClockView | undefined): string | undefined {
  if (clock?.wrong !== true || clock.offsetMs === null) return undefined
  return `Your computer's clock is ${distance(clock.offsetMs)} ${clock.offsetMs > 0 ? 'ahead of' : 'behind'} your colleagues': fix it in the system settings`
}

/** The note on a colleague whose clock is off (People). */
export function colleagueClockNote (offsetMs: number | undefined): string | undefined {
  if (offsetMs === undefined) return undefined
  return `Clock ${distance(offsetMs)} ${offsetMs > 0 ? 'ahead' : 'behind'}`
}

/**
 * The note on a message that claims to be sent after it arrived here: only a clock ahead (the
 * sender's or ours) does that. One sent well before it arrived may simply have waited (carried).
 */
export function claimedTimeNote (message: { time: number, arrived?: number | undefined, direction: 'in' | 'out' }): string | undefined {
  if (message.arrived === undefined || message.direction !== 'in') return undefined
  const gap = message.time - message.arrived
  if (gap <= CLOCK_SKEW_SHOWN_MS) return undefined
  return `Sent ${distance(gap)} later than it arrived: the sender's clock may be wrong`
}
