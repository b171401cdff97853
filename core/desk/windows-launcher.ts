// The Windows launcher: a copy of the executable marked as a windowed ("GUI subsystem") program.
// The packaged causette.exe is a console program, so Windows opens a console window for it, and
// closing that window kills the node. Windows gives a windowed program no console at all, so the Run
// key starts the launcher, which starts the node (causette.exe) with windowsHide and exits. Changing
// the one Subsystem field of the PE header is documented and robust, unlike a VBScript wrapper
// (VBScript is being removed from Windows) or `conhost --headless` (undocumented); a console program
// that re-spawns itself hidden still flashes its window at every login.

const PE_SIGNATURE = 0x00004550 // "PE\0\0"
const OPTIONAL_HEADER_MAGIC = new Set([0x10b, 0x20b]) // PE32, PE32+
const SUBSYSTEM_OFFSET = 68 // from the optional header's start, the same in PE32 and PE32+
export const SUBSYSTEM_WINDOWS_GUI = 2
export const SUBSYSTEM_WINDOWS_CUI = 3

/** The offset of the Subsystem field, after checking that `image` is a PE executable. */
function subsystemOffset (image: Uint8Array): number {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength)
  if (image.byteLength < 0x40 || view.getUint16(0, true) !== 0x5a4d) throw new Error('not a Windows executable (no MZ header)')
  const peOffset = view.getUint32(0x3c, true)
  const optionalHeader = peOffset + 4 + 20
  if (optionalHeader + SUBSYSTEM_OFFSET + 2 > image.byteLength || view.getUint32(peOffset, true) !== PE_SIGNATURE) {
    throw new Error('not a Windows executable (no PE header)')
  }
  if (!OPTIONAL_HEADER_MAGIC.has(view.getUint16(optionalHeader, true))) throw new Error('not a Windows executable (unknown optional header)')
  return optionalHeader + SUBSYSTEM_OFFSET
}

export function peSubsystem (image: Uint8Array): number {
  return new DataView(image.buffer, image.byteOffset, image.byteLength).getUint16(subsystemOffset(image), true)
}

/** A copy of a console executable marked as a windowed one; `image` itself is left alone. */
export function asWindowedProgram (image: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(image)
  const offset = subsystemOffset(copy)
  const view = new DataView(copy.buffer)
  if (view.getUint16(offset, true) !== SUBSYSTEM_WINDOWS_CUI) throw new Error('the executable is not a console program')
  view.setUint16(offset, SUBSYSTEM_WINDOWS_GUI, true)
  return copy
}
