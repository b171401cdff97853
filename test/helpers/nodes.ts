// Test nodes in one line: `const alice = await testNode(t, { name: 'alice' })` starts a real node on
// 127.0.0.1 with a fresh profile, mDNS off, and stops it and removes the profile when the test ends.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import type { Teardown } from './netns.js'
import type { EventFrame } from '../../core/api/schema.js'
import { underLoad } from './deadline.js'
import { startNode, type CausetteNode, type NodeOptions } from '../../core/node/node.js'

/**
 * What runs on each temporary home (a node, a daemon), stopped before the home is removed: node:test
 * runs a test's after hooks in the order they were added, and a home is made before what runs on it,
 * so its removal came first, under a node still writing (ENOTEMPTY, and a node left running).
 */
const runningOn = new Map<string, Array<() => Promise<void>>>()

/** Has `stop` run before `home` is removed, when it is a temporary one (tempHome). */
export function stopBeforeRemoving (home: string, stop: () => Promise<void>): void {
  runningOn.get(home)?.push(stop)
}

export async function tempHome (t: Teardown, prefix = 'causette-test-'): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), prefix))
  runningOn.set(home, [])
  t.after(async () => {
    for (const stop of runningOn.get(home)!.reverse()) await stop()
    runningOn.delete(home)
    await rm(home, { recursive: true, force: true })
  })
  return home
}

export interface TestNodeOptions extends Omit<NodeOptions, 'mdns'> {
  /** Keep the profile after stop (for restart tests); default: a fresh temporary one. */
  home?: string
}

export async function testNode (t: TestContext, options: TestNodeOptions = {}): Promise<CausetteNode> {
  const home = options.home ?? await tempHome(t)
  // No desktop notification from a test unless the test asks (its own notifier records them).
  const node = await startNode({ port: 0, listenHost: '127.0.0.1', desktopNotifier: async () => {}, ...options, home, mdns: false })
  const stop = async (): Promise<void> => { await node.stop() }
  stopBeforeRemoving(home, stop)
  t.after(stop)
  return node
}

/** A --peer address for `node` on loopback. */
export function addressOf (node: CausetteNode): string {
  const address = node.addresses().find(a => a.includes('/ip4/127.0.0.1/'))
  if (address === undefined) throw new Error('node has no loopback address')
  return address
}

/** Resolves with the first event (past or future) matching `predicate`, or rejects after `ms` (on a quiet machine: see underLoad). */
export async function waitForEvent (node: CausetteNode, predicate: (frame: EventFrame) => boolean, ms = 20_000, since = 0): Promise<EventFrame> {
  const deadlineMs = underLoad(ms)
  return await new Promise((resolve, reject) => {
    let unsubscribe = (): void => {}
    const timer = setTimeout(() => { unsubscribe(); reject(new Error(`no matching event within ${deadlineMs} ms`)) }, deadlineMs)
    unsubscribe = node.events.subscribe(since, (frame) => {
      if (!predicate(frame)) return
      clearTimeout(timer)
      queueMicrotask(() => { unsubscribe() })
      resolve(frame)
    })
  })
}

/** Polls `check` until it returns a value other than undefined, or rejects after `ms` (on a quiet machine: see underLoad). */
export async function eventually<T> (check: () => Promise<T | undefined> | T | undefined, ms = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + underLoad(ms)
  while (true) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${underLoad(ms)} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

export async function waitForPeer (node: CausetteNode, peerId: string, ms = 20_000): Promise<void> {
  await eventually(async () => (await node.peers()).find(p => p.peerId === peerId && p.connected), ms, `peer ${peerId.slice(-6)}`)
}
