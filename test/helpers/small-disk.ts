// A real, small file system for disk-full tests: a tmpfs mounted under the temporary directory (the
// tests run as root), filled until it refuses a single byte, then freed. Unmounted when the test ends.
import { execFile } from 'node:child_process'
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface SmallDisk {
  /** The mount point. */
  path: string
  /** Writes a filler file until the file system refuses even one more byte (ENOSPC). */
  fill: () => Promise<void>
  /** Removes the filler file. */
  free: () => Promise<void>
}

export async function mountSmallDisk (t: TestContext, sizeMiB = 16): Promise<SmallDisk> {
  const path = await mkdtemp(join(tmpdir(), 'causette-small-disk-'))
  await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', path])
  t.after(async () => {
    // Lazy: the test's nodes may still hold files open if it failed half-way.
    await run('umount', ['-l', path])
    await rmdir(path)
  })
  const filler = join(path, 'filler')
  return {
    path,
    fill: async () => { await fillUntilFull(filler) },
    free: async () => { await rm(filler, { force: true }) }
  }
}

async function fillUntilFull (file: string): Promise<void> {
  const handle = await open(file, 'a')
  try {
    for (const chunk of [64 * 1024, 4096, 512, 1]) {
      const bytes = Buffer.alloc(chunk, 0x66)
      while (await appended(handle, bytes)) { /* until this chunk no longer fits */ }
    }
  } finally {
    await handle.close()
  }
}

async function appended (handle: Awaited<ReturnType<typeof open>>, bytes: Buffer): Promise<boolean> {
  try {
    const { bytesWritten } = await handle.write(bytes)
    return bytesWritten === bytes.length
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return false
    throw error
  }
}
