// Writing and removing the desk's files so that doing it twice changes nothing: each call says
// whether it changed anything. Writes go through a temporary file and a rename, so a crash never
// leaves a half-written executable or unit behind.
import { chmod, lstat, mkdir, readFile, readlink, realpath, rename, rm, rmdir, stat, symlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'

/** The files a desk's program part reads, writes and removes: the disk, or a test's own (a Windows desk in memory). */
export interface DeskFiles {
  read: (path: string) => Promise<Uint8Array>
  writeIfDifferent: (path: string, contents: Uint8Array, mode: number) => Promise<boolean>
  /** Removes a file if it is there; true when it did. Windows refuses to remove a program that runs. */
  remove: (path: string) => Promise<boolean>
  /** Gives a file another name, on the same volume: what Windows does allow for a program that runs. */
  rename: (from: string, to: string) => Promise<void>
  /** Removes a folder if it is there and empty; true when it did. */
  removeEmptyFolder: (path: string) => Promise<boolean>
  /** A file's size in bytes; undefined when it is not there. */
  size: (path: string) => Promise<number | undefined>
}

export const DISK: DeskFiles = {
  read: async path => await readFile(path),
  writeIfDifferent: async (path, contents, mode) => await writeIfDifferent(path, contents, mode),
  remove: removeIfPresent,
  rename: async (from, to) => { await rename(from, to) },
  removeEmptyFolder: async path => await rmdir(path).then(() => true, (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTEMPTY' || error.code === 'EEXIST') return false
    throw error
  }),
  size: async path => (await stat(path).catch(ignoreMissing))?.size
}

/** Writes `contents` at `path` unless it already holds exactly that; true when it wrote. */
export async function writeIfDifferent (path: string, contents: Uint8Array | string, mode = 0o644): Promise<boolean> {
  const wanted = typeof contents === 'string' ? Buffer.from(contents) : contents
  const existing = await readFile(path).catch(ignoreMissing)
  if (existing !== undefined && Buffer.compare(existing, wanted) === 0) return false
  await mkdir(dirname(path), { recursive: true })
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    await writeFile(temporary, wanted, { mode })
    await chmod(temporary, mode)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  return true
}

/**
 * Makes `path` a symbolic link to `target` unless it already leads to the same file (`systemctl
 * enable` writes an absolute link where we write a relative one); true when it changed.
 */
export async function linkIfDifferent (path: string, target: string): Promise<boolean> {
  if (await readlink(path).catch(ignoreMissing) === target) return false
  const [current, wanted] = await Promise.all([realpath(path).catch(ignoreMissing), realpath(resolve(dirname(path), target)).catch(ignoreMissing)])
  if (current !== undefined && current === wanted) return false
  await mkdir(dirname(path), { recursive: true })
  await rm(path, { force: true })
  await symlink(target, path)
  return true
}

/** Removes `path` if it exists; true when it did. */
export async function removeIfPresent (path: string): Promise<boolean> {
  try {
    await rm(path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

/** Removes the folder `path` with all it holds (an app bundle) if it exists; true when it did. */
export async function removeFolderIfPresent (path: string): Promise<boolean> {
  if (await lstat(path).catch(ignoreMissing) === undefined) return false
  await rm(path, { recursive: true, force: true })
  return true
}

function ignoreMissing (error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'EINVAL') return undefined
  throw error
}
