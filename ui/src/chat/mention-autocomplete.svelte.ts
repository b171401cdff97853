// The state of the composer's mention list: where the caret is, which colleagues the "@query"
// offers, which one is active, and whether Escape closed the list for this "@".
import { mentionOptions, mentionQuery, type Mentionable, type MentionQuery } from './mention-query.js'

export class MentionAutocomplete {
  /** The caret in the text box, kept by the composer. */
  caret = $state(0)
  focused = $state(false)
  active = $state(0)
  /** Where the `@` was when Escape closed the list, or a colleague was chosen: closed until another `@`. */
  #dismissedAt = $state<number>()
  readonly #text: () => string
  readonly #colleagues: () => readonly Mentionable[]

  constructor (text: () => string, colleagues: () => readonly Mentionable[]) {
    this.#text = text
    this.#colleagues = colleagues
  }

  readonly query: MentionQuery | undefined = $derived.by(() => this.focused ? mentionQuery(this.#text(), this.caret) : undefined)
  readonly options: Mentionable[] = $derived.by(() => this.query === undefined || this.query.start === this.#dismissedAt ? [] : mentionOptions(this.#colleagues(), this.query.query))
  readonly open: boolean = $derived(this.options.length > 0)
  readonly chosen: Mentionable | undefined = $derived(this.options[Math.min(this.active, this.options.length - 1)])


  /** The caret moved (typing, a click, an arrow key): a new query starts at its first option. */
  moved (caret: number): void {
    if (caret !== this.caret) this.active = 0
    this.caret = caret
    if (this.query === undefined) this.#dismissedAt = undefined // that "@" is gone: the next one opens the list
  }

  /** Up or down the list, wrapping around. */
  step (by: 1 | -1): void {
    const count = this.options.length
    this.active = (Math.min(this.active, count - 1) + by + count) % count
  }

  dismiss (): void {
    this.#dismissedAt = this.query?.start
  }
}
