// A real `causette start` daemon inside a LAN host's network namespace, driven through the CLI run
// in that namespace against the daemon's own 127.0.0.1 API (each call a new Node process).
import assert from 'node:assert/strict'
import type { PeerView, WorkspaceSummary } from '../../core/api/schema.js'
import { execCli, spawnCli } from './lan-process.js'
import { eventually } from './lan-wait.js'
import type { LanHost, Teardown } from './netns.js'
import { stopBeforeRemoving, tempHome } from './nodes.js'

/**
 * Each CLI call is a new Node process (seconds of CPU on a busy machine): poll gently. 30 s on a
 * quiet machine, so two minutes under load (see eventually and underLoad).
 */
export const LAN_POLL = { timeoutMs: 30_000, pollMs: 300 }

export interface LanDaemon {
  host: LanHost
  home: string
  name: string
  peerId: string
  /** The daemon's process (`ip netns exec` runs it in place). */
  pid: number
  addresses: string[]
  workspace: WorkspaceSummary | null
  cli: <T>(...args: string[]) => Promise<T>
  /** A CLI call expected to fail: its stderr. */
  fails: (...args: string[]) => Promise<string>
  /** Sends `signal` to the daemon and resolves once it has exited (the profile stays). */
  stop: (signal: 'SIGTERM' | 'SIGKILL') => Promise<void>
}

export interface LanDaemonOptions {
  /** Start on this existing profile (a restart) instead of a new temporary one. */
  home?: string
  /** How long the daemon may take to say it runs. */
  startTimeoutMs?: number
}

export async function startLanDaemon (t: Teardown, host: LanHost, name: string, extra: string[] = [], options: LanDaemonOptions = {}): Promise<LanDaemon> {
  const home = options.home ?? await tempHome(t, `causette-lan-${name}-`)
  const process = spawnCli(host, ['start', '--home', home, '--name', name, '--json', ...extra])
  stopBeforeRemoving(home, async () => { await process.stop('SIGTERM') })
  const started = await process.next(`${name}'s daemon to start`, line => typeof line.peerId === 'string', options.startTimeoutMs)
  const args = (list: string[]): string[] => [...list, '--home', home, '--json']
  return {
    host,
    home,
    name,
    peerId: String(started.peerId),
    pid: process.child.pid!,
    addresses: started.addresses as string[],
    workspace: started.workspace as WorkspaceSummary | null,
    cli: async <T>(...list: string[]): Promise<T> => JSON.parse(await execCli(host, args(list))) as T,
    fails: async (...list) => await execCli(host, args(list)).then(
      out => assert.fail(`causette ${list.join(' ')} succeeded: ${out}`),
      (error: { stderr: string }) => error.stderr),
    stop: async (signal) => { await process.stop(signal) }
  }
}

/** The PeerIds `daemon` lists as connected. */
export async function connectedPeers (daemon: LanDaemon): Promise<string[]> {
  return (await daemon.cli<PeerView[]>('peers')).filter(peer => peer.connected).map(peer => peer.peerId)
}

/** Waits until `daemon` lists every one of `others` as connected, under its own name. */
export async function sees (daemon: LanDaemon, others: LanDaemon[]): Promise<void> {
  await eventually(`${daemon.name} to be connected to ${others.map(other => other.name).join(' and ')}`, async () => {
    const peers = await daemon.cli<PeerView[]>('peers')
    return others.every(other => peers.some(peer => peer.peerId === other.peerId && peer.connected && peer.name === other.name))
  }, LAN_POLL)
}
