// What libp2p's connection monitor does in this process, seen from outside it: the monitor arms one
// AdaptiveTimeout signal (@libp2p/utils) per ping, and hands it back with `cleanUp` when the ping has
// ended, answered or not. Wrapping those two methods shows when each ping fell due, the timeout it
// was given, and how it ended. The monitor is the only user of AdaptiveTimeout in libp2p and its
// modules; a test using this has one node in its process, so every ping is that node's.
import type { TestContext } from 'node:test'
import { AdaptiveTimeout } from '@libp2p/utils'
import { underLoad } from './deadline.js'

export interface WatchedPing {
  /** Unix ms when the ping fell due (its timeout armed). */
  started: number
  /** The timeout libp2p gave it. */
  timeoutMs: number
  /** How it ended: `aborted` when its timeout ran out (the monitor then aborts the connection). */
  ended?: { at: number, aborted: boolean }
}

interface ArmedSignal extends AbortSignal { timeout?: number }

export interface PingWatch {
  /** Resolves with the first ping that falls due after this call. */
  next: (quietMs: number) => Promise<WatchedPing>
  /** Resolves once `ping` has ended. */
  ended: (ping: WatchedPing, quietMs: number) => Promise<NonNullable<WatchedPing['ended']>>
}

export function watchPings (t: TestContext): PingWatch {
  const prototype = AdaptiveTimeout.prototype
  const { getTimeoutSignal, cleanUp } = prototype
  const pings = new Map<AbortSignal, WatchedPing>()
  const listeners = new Set<() => void>()
  const changed = (): void => { for (const listener of [...listeners]) listener() }
  prototype.getTimeoutSignal = function (this: AdaptiveTimeout, ...args) {
    const signal = getTimeoutSignal.apply(this, args)
    pings.set(signal, { started: Date.now(), timeoutMs: (signal as ArmedSignal).timeout ?? NaN })
    changed()
    return signal
  }
  prototype.cleanUp = function (this: AdaptiveTimeout, signal) {
    const ping = pings.get(signal)
    if (ping !== undefined) ping.ended = { at: Date.now(), aborted: signal.aborted }
    cleanUp.call(this, signal)
    changed()
  }
  t.after(() => { prototype.getTimeoutSignal = getTimeoutSignal; prototype.cleanUp = cleanUp })

  async function until<T> (found: () => T | undefined, quietMs: number, what: string): Promise<T> {
    return await new Promise((resolve, reject) => {
      const check = (): void => {
        const value = found()
        if (value === undefined) return
        clearTimeout(timer)
        listeners.delete(check)
        resolve(value)
      }
      const timer = setTimeout(() => { listeners.delete(check); reject(new Error(`no ${what} within ${underLoad(quietMs)} ms`)) }, underLoad(quietMs))
      listeners.add(check)
      check()
    })
  }

  return {
    next: async (quietMs) => {
      const seen = new Set(pings.values())
      return await until(() => [...pings.values()].find(ping => !seen.has(ping)), quietMs, 'ping')
    },
    ended: async (ping, quietMs) => await until(() => ping.ended, quietMs, 'end of the ping')
  }
}
