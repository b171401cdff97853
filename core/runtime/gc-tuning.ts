// When V8 collects garbage in a node's process. libp2p's Noise gives every message it decrypts or
// encrypts a fresh buffer of up to 64 KiB, outside V8's heap. Before V8 14.8, V8 counts every byte
// allocated in such buffers since its last full collection, dead or alive, and starts a full
// mark-compact of the whole heap every 64 MB or so: a 1 GiB file fetch ran one every 17 MiB, and
// the collector took about a third of the fetcher's main thread (docs/files.md, "Fourth round").
// With --external-memory-accounted-in-global-limit, V8 counts what buffers still hold, within the
// limit the heap as a whole is held to: the buffers of a transfer die in the young generation's
// scavenges, as other short-lived garbage does. V8 14.8 made this its default and removed the flag
// (V8 513bb22991, cf511a65ad); Node 26 runs V8 14.6.
import { setFlagsFromString } from 'node:v8'

/** The flag tuneGarbageCollector sets, as `node` would take it on its command line. */
export const GC_FLAG = '--external-memory-accounted-in-global-limit'

/**
 * Whether a V8 of `version` (process.versions.v8) needs GC_FLAG: from 13.6 (Node 24, the oldest
 * seen to have it; an older V8 would print "unrecognized flag") to 14.7 (14.8 has no such flag and
 * behaves so by default).
 */
export function needsGcFlag (version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  const at = major * 100 + minor
  return at >= 1306 && at < 1408
}

let tuned = false

/** Sets GC_FLAG in this process where its V8 needs it, once; call it before the node moves any bytes. */
export function tuneGarbageCollector (): void {
  if (tuned) return
  if (needsGcFlag(process.versions.v8)) setFlagsFromString(GC_FLAG)
  tuned = true
}
