// A dependency a part of the node is handed when it starts, because it is built before the part it
// calls (the channels before the messenger that takes their inbound half). Using it before the start
// phase is a wiring mistake, and says so.
export class Port<T> {
  readonly #name: string
  #value: T | undefined

  constructor (name: string) {
    this.#name = name
  }

  connect (value: T): void {
    if (this.#value !== undefined) throw new Error(`${this.#name} is connected twice`)
    this.#value = value
  }

  get (): T {
    if (this.#value === undefined) throw new Error(`${this.#name} is used before the node started`)
    return this.#value
  }
}
