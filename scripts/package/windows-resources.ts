// The Windows file's name and icon as Windows shows them: node.exe's resources say "Node.js
// JavaScript Runtime" with Node's icon, which the firewall's first alert ("… has blocked some
// features of …"), Task Manager and Explorer would show for causette. A copy of node.exe gets
// causette's version information and icon here, before `node --build-sea` adds the application
// (whose blob, a resource too, is thus never rewritten by resedit). resedit reads the signed file
// (ignoreCert) and writes it without node.exe's Authenticode signature, which could not hold once the
// file changes: the release is plainly unsigned until a maintainer signs it (docs/release.md).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as ResEdit from 'resedit'
import { NODE_VERSION } from './targets.js'

/** The sizes Windows shows a program's icon at (Explorer's views, the taskbar, the alerts). */
const WINDOWS_ICON_SIZES = [16, 32, 48, 256] as const

/** Each size's PNG, rendered from icon.svg by ui/scripts/render-icons.ts. */
function windowsIconPng (root: string, size: number): string {
  return join(root, 'ui', 'public', 'icons', `icon-${size}.png`)
}

/** Every string of the version information; FileDescription is the name the firewall's alert gives. */
function versionStrings (version: string): Record<string, string> {
  return {
    FileDescription: 'causette',
    ProductName: 'causette',
    CompanyName: 'causette',
    InternalName: 'causette',
    OriginalFilename: 'causette.exe',
    FileVersion: version,
    ProductVersion: version,
    LegalCopyright: 'Copyright causette contributors. MIT license.',
    Comments: `Built on Node.js ${NODE_VERSION} (Copyright Node.js contributors. MIT license.)`
  }
}

export interface WindowsResourcesInit {
  root: string
  version: string
  nodeExe: string
  /** Where the edited copy goes; nodeExe is left alone. */
  output: string
}

/** Writes the edited copy of nodeExe; returns its path. */
export function withCausetteResources ({ root, version, nodeExe, output }: WindowsResourcesInit): string {
  const executable = ResEdit.NtExecutable.from(readFileSync(nodeExe), { ignoreCert: true })
  const resources = ResEdit.NtExecutableResource.from(executable)
  setVersionInfo(resources, version)
  setIcon(resources, root)
  resources.outputResource(executable)
  writeFileSync(output, Buffer.from(executable.generate()))
  return output
}

/** Node's one version resource keeps its language (en-US, Unicode); only causette's strings remain in it. */
function setVersionInfo (resources: ResEdit.NtExecutableResource, version: string): void {
  const [info, ...others] = ResEdit.Resource.VersionInfo.fromEntries(resources.entries)
  const languages = info?.getAllLanguagesForStringValues() ?? []
  if (info === undefined || others.length > 0 || languages.length !== 1) throw new Error('node.exe should have one version resource, in one language')
  const language = languages[0]!
  const [major, minor, patch] = numericVersion(version)
  info.removeAllStringValues(language, false)
  info.setFileVersion(major, minor, patch, 0, language.lang)
  info.setProductVersion(major, minor, patch, 0, language.lang)
  // After the two calls above, which write "x.y.z.0": the strings say the release's version as it is named.
  info.setStringValues(language, versionStrings(version))
  info.outputToResourceEntries(resources.entries)
}

/** Windows's fixed version fields hold four numbers up to 65535: the release's first three, then 0. */
function numericVersion (version: string): [number, number, number] {
  const numbers = /^(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1, 4).map(Number)
  if (numbers === undefined || numbers.some(part => part > 0xffff)) throw new Error(`version ${version} does not fit Windows's version fields`)
  return numbers as [number, number, number]
}

/** Node's icon group (the file's icon: its only one) holds causette's PNGs instead, as Windows Vista and later read them. */
function setIcon (resources: ResEdit.NtExecutableResource, root: string): void {
  const [group, ...others] = ResEdit.Resource.IconGroupEntry.fromEntries(resources.entries)
  if (group === undefined || others.length > 0) throw new Error('node.exe should have one icon group')
  const icons = WINDOWS_ICON_SIZES.map(size => ResEdit.Data.RawIconItem.from(readFileSync(windowsIconPng(root, size)), size, size, 32))
  ResEdit.Resource.IconGroupEntry.replaceIconsForResource(resources.entries, group.id, group.lang, icons)
}
