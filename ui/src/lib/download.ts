// Downloads without leaving the page: a Blob the app made, or a link the node serves as a download.

/** Saves a Blob as a file download. */
export function saveBlob (blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  downloadLink(url, filename)
  setTimeout(() => { URL.revokeObjectURL(url) }, 60_000)
}

/** Has the browser's download manager fetch `url` and save it (the server's Content-Disposition names the file when `filename` is empty). */
export function downloadLink (url: string, filename = ''): void {
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
}
