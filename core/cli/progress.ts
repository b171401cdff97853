// A file's progress on stderr, only when stderr is a terminal: one line redrawn in place with the
// share done, the bytes and the speed. Piped or redirected output stays clean (scripts read stdout).
import { byteSize } from '../api/size-words.js'

export interface Progress {
  /** Bytes done so far. */
  update: (done: number) => void
  /** Ends the line (done or failed). */
  finish: () => void
}

const NO_PROGRESS: Progress = { update: () => {}, finish: () => {} }
/** Redraws at most this often: a terminal line, not a log. */
const REDRAW_MS = 200

export function terminalProgress (label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY !== true) return NO_PROGRESS
  const started = Date.now()
  let drawn = 0
  let last = 0
  const draw = (done: number): void => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001)
    const share = total === 0 ? 100 : Math.floor(done * 100 / total)
    stream.write(`\r\x1b[2K${label}  ${share}%  ${byteSize(done)} of ${byteSize(total)}  ${byteSize(done / seconds)}/s`)
    drawn = Date.now()
    last = done
  }
  return {
    update: done => { if (Date.now() - drawn >= REDRAW_MS || done === total) draw(done) },
    finish: () => {
      draw(last)
      stream.write('\n')
    }
  }
}
