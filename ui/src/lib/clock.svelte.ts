// The current time, as state that changes every half minute: "last seen 5 min ago" stays true
// without re-rendering anything else.
const TICK_MS = 30_000

class Clock {
  #now = $state(Date.now())

  constructor () {
    setInterval(() => { this.#now = Date.now() }, TICK_MS)
  }

  get now (): number { return this.#now }
}

export const clock = new Clock()
