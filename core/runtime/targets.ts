// The platforms a release is built for, named as the release files are.
export const TARGETS = ['linux-x64', 'linux-arm64', 'win-x64', 'darwin-arm64', 'darwin-x64'] as const
export type Target = typeof TARGETS[number]

export function isTarget (name: string): name is Target {
  return (TARGETS as readonly string[]).includes(name)
}

/** The release name of a Node platform and architecture: `win32` is `win`, the rest as Node says. */
export function targetOf (platform: NodeJS.Platform, arch: string): string {
  return `${platform === 'win32' ? 'win' : platform}-${arch}`
}
