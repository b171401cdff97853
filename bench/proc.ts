// What Linux's /proc says of another process: the bench's CPU and memory figures for daemons and
// peers it started.
import { readFileSync } from 'node:fs'

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100

/** CPU time (user + system, every thread) of process `pid`, in µs. */
export function cpuMicrosOf (pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 1_000_000 / TICKS_PER_SECOND
}

/** The resident memory of process `pid`, in bytes. */
export function rssBytesOf (pid: number): number {
  const kilobytes = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kilobytes) * 1024
}
