// An export file read line by line, so verification never holds the whole file in memory. Lines
// are split at LF only and keep any CR, which the verifier refuses (docs/log-format.md §4); when the
// file does not end with a newline, NO_FINAL_NEWLINE follows its last line. The file is opened only
// when iteration starts.
import { createReadStream } from 'node:fs'
import { NO_FINAL_NEWLINE } from '../../crypto/log/export-format.js'

export async function * readLines (path: string): AsyncGenerator<string> {
  let rest = ''
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    const lines = (rest + (chunk as string)).split('\n')
    rest = lines.pop()!
    yield * lines
  }
  if (rest !== '') yield * [rest, NO_FINAL_NEWLINE]
}
