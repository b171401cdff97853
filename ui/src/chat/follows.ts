// Messages of one author written within minutes of each other read as one group: the later ones
// show no avatar and name again.
const GROUP_MS = 5 * 60_000

interface Authored { author: string, time: number, text: string }

/**
 * Whether `message` joins the group of `previous`. A message with no text (a file alone, or one
 * deleted) starts its own: a grouped message carries its signature mark at the end of its text,
 * and without one the mark would stand alone on a line above the file's card.
 */
export function follows (previous: Authored | undefined, message: Authored): boolean {
  return previous !== undefined && message.text !== '' && previous.author === message.author && message.time - previous.time < GROUP_MS
}
