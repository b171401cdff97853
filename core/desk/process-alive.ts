// Whether a process still runs, from its pid alone.
import { readFileSync } from 'node:fs'

export function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return !isZombie(pid)
}

/** A background node outlives its parent; where nobody reaps orphans (PID 1 of a container), its exit leaves a zombie. */
function isZombie (pid: number): boolean {
  if (process.platform !== 'linux') return false
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}
