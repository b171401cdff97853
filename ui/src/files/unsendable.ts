// Why a file attached cannot be sent, found before its upload: a folder dropped from the desktop (the
// browser gives it as a file it cannot read), a file moved or changed since it was attached, an empty
// file. The browser reports a file it cannot read as a failed request, as if the node had not
// answered: a failed upload asks again, so that it is not blamed on the node.

export const UNREADABLE = 'it cannot be read. A folder cannot be sent as it is: compress it into a .zip and attach that. A file moved or changed since you attached it: remove it and attach it again.'
export const EMPTY = 'it is empty: there is nothing in it to send.'

/** Why `file` cannot be sent, or undefined when it reads and has bytes. */
export async function unsendable (file: Blob): Promise<string | undefined> {
  try {
    await file.slice(0, 1).arrayBuffer()
  } catch {
    return UNREADABLE
  }
  return file.size === 0 ? EMPTY : undefined
}
