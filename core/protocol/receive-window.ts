// The most a sender may still put into a stream we have paused (docs/SECURITY.md, "Stalled
// streams"). A paused yamux stream grants no new window, so its sender can send only what is left
// of the window already granted: yamux's `recvWindowCapacity`, at most MAX_STREAM_WINDOW_BYTES
// (p2p-host.ts caps it). libp2p keeps what arrives meanwhile in the stream's read buffer with no
// event, so the read gate reserves this bound when it pauses, instead of counting arrivals it
// cannot see.
import type { Stream } from '@libp2p/interface'
import { MAX_STREAM_WINDOW_BYTES } from './limits.js'

/** Bytes `stream`'s sender may still send without a new grant: none once it closed its side; the most a window may be if the muxer does not say (not yamux). */
export function receiveWindowLeft (stream: Stream): number {
  if (stream.remoteWriteStatus === 'closed') return 0
  const left = (stream as Partial<{ recvWindowCapacity: unknown }>).recvWindowCapacity
  return typeof left === 'number' && left >= 0 ? left : MAX_STREAM_WINDOW_BYTES
}
