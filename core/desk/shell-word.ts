// One word for a POSIX shell (sh, bash, zsh), whatever it holds: inside single quotes nothing is
// special, and a single quote itself is written '\'' (close, an escaped quote, open again).
export function shellWord (word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`
}
