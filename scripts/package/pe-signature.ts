// node.exe comes signed (Authenticode). Once the application is injected that signature no longer
// matches, and the injection leaves its directory entry pointing at the old place while the bytes
// move to the end of the file: Windows would see a broken signature, and signtool could not sign the
// file anew. Dropped here, the file is plainly unsigned until a maintainer signs it.
import { readFileSync, writeFileSync } from 'node:fs'

const PE32_PLUS = 0x20b
const SECURITY_DIRECTORY = 4

export function dropStaleAuthenticode (file: string): void {
  const bytes = readFileSync(file)
  const header = bytes.readUInt32LE(0x3c)
  if (bytes.toString('latin1', header, header + 4) !== 'PE\0\0') throw new Error(`${file} is not a PE file`)
  const optional = header + 24
  if (bytes.readUInt16LE(optional) !== PE32_PLUS) throw new Error(`${file} is not PE32+`)
  const entry = optional + 112 + 8 * SECURITY_DIRECTORY
  const size = bytes.readUInt32LE(entry + 4)
  if (size === 0) return
  bytes.writeUInt32LE(0, entry)
  bytes.writeUInt32LE(0, entry + 4)
  // The old certificate, if it is what follows the last section, goes too.
  const end = sectionsEnd(bytes, header)
  writeFileSync(file, bytes.length - end === size ? bytes.subarray(0, end) : bytes)
}

/** PE32+ security directory: [offset, size]; [0, 0] when the file carries no signature. */
export function securityDirectory (bytes: Buffer): [number, number] {
  const entry = bytes.readUInt32LE(0x3c) + 24 + 112 + 8 * SECURITY_DIRECTORY
  return [bytes.readUInt32LE(entry), bytes.readUInt32LE(entry + 4)]
}

function sectionsEnd (bytes: Buffer, header: number): number {
  const count = bytes.readUInt16LE(header + 6)
  const first = header + 24 + bytes.readUInt16LE(header + 20)
  let end = 0
  for (let index = 0; index < count; index++) {
    const section = first + 40 * index
    end = Math.max(end, bytes.readUInt32LE(section + 20) + bytes.readUInt32LE(section + 16))
  }
  return end
}
