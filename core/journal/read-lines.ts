// An export file read line by line, so verification never holds the whole file in memory. The
// reader opens the file only when iteration starts: a readline interface created earlier would
// drop the lines it reads before anyone listens.
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'

export async function * readLines (path: string): AsyncGenerator<string> {
  yield * createInterface({ input: createReadStream(path), crlfDelay: Infinity })
}
