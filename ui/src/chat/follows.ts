// Messages of one author written within minutes of each other read as one group: the later ones
// show no avatar and name again.
const GROUP_MS = 5 * 60_000

interface Authored { author: string, time: number }

export function follows (previous: Authored | undefined, message: Authored): boolean {
  return previous !== undefined && previous.author === message.author && message.time - previous.time < GROUP_MS
}
