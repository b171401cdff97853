// What a person downloads: the executable alone in a zip (Windows and macOS open it themselves), at
// about a third of its size, with its Unix mode kept so that it runs once unpacked on macOS and
// Linux. Written with a fixed time, so that two builds of one commit give the same bytes.
import { createWriteStream } from 'node:fs'
import { basename } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ZipFile } from 'yazl'

/** The zip of `executable` beside it: `<executable without .exe>.zip`. */
export function downloadPath (executable: string): string {
  return `${executable.replace(/\.exe$/, '')}.zip`
}

const FIXED_TIME = new Date('2026-01-01T00:00:00Z')
const EXECUTABLE_MODE = 0o100755

export async function writeDownload (executable: string): Promise<string> {
  const output = downloadPath(executable)
  const zip = new ZipFile()
  zip.addFile(executable, basename(executable), { mtime: FIXED_TIME, mode: EXECUTABLE_MODE })
  zip.end()
  await pipeline(zip.outputStream, createWriteStream(output))
  return output
}
