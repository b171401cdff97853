// An office's link between two hosts of a LAN made of network namespaces (test/helpers/netns.ts),
// for the files bench's office-LAN section (files-lan.ts): the rates measured, the `tc` token bucket
// (tbf: `netem` is not in this kernel) that shapes each host's egress to one, and the most TCP
// payload such a link carries.

/** An office's link: its rate and the file sizes sent over it. */
export interface LanLink { name: string, bitsPerSecond: number, sizesMiB: number[] }

/** A switched gigabit office; a 100 Mbit/s one (older switches, a desk's old card) with the smaller file alone. */
export function lanLinks (quick: boolean): LanLink[] {
  return [
    { name: '1 Gbit/s', bitsPerSecond: 1e9, sizesMiB: quick ? [100] : [100, 1024] },
    { name: '100 Mbit/s', bitsPerSecond: 1e8, sizesMiB: [100] }
  ]
}

/** Ethernet's preamble, start of frame, FCS and inter-frame gap: on the wire, not in the packet tc sees. */
const ETHERNET_FRAMING_BYTES = 24
/** A full frame's TCP payload (MSS 1448 with timestamps) of its bytes on the wire (1514 + 24). */
const TCP_PAYLOAD_SHARE = 1448 / (1514 + ETHERNET_FRAMING_BYTES)

/** The most TCP payload the link carries, in MiB/s. */
export const linkCeilingMiBPerSecond = (link: LanLink): number => link.bitsPerSecond / 8 / 2 ** 20 * TCP_PAYLOAD_SHARE

/**
 * `tc` arguments that shape a host's egress to `link`: a bucket of 4 ms at the rate, at least 64 KiB
 * (at 1 Gbit/s a bucket of 128 KB held raw TCP to 77-94 MiB/s here, 512 KB or 2 MB let it reach
 * 96-110), a queue of 10 ms, Ethernet's framing counted.
 */
export function shapingArgs (link: LanLink): string[] {
  const burstBytes = Math.max(64 * 1024, Math.round(link.bitsPerSecond / 8 * 0.004))
  return ['qdisc', 'replace', 'dev', 'eth0', 'root', 'tbf', 'rate', `${link.bitsPerSecond}bit`, 'burst', String(burstBytes), 'latency', '10ms', 'overhead', String(ETHERNET_FRAMING_BYTES)]
}
