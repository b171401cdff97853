// What the CLI adds under a join that could not reach the inviting computer (`workspace join`,
// `start --join`): why, what to do, and the error's code to read out to whoever helps.
import { joinTrouble } from '../api/join-words.js'

export function joinAdvice (code: string): string[] {
  const trouble = joinTrouble(code)
  if (trouble === undefined) return []
  return [trouble.why, 'What to do:', ...trouble.steps.map(step => `  - ${step}`), `(error ${code})`]
}
