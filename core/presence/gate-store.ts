// The notification gate's state on disk, in the profile's database: the notifications held in
// focus or mute, and the digests the user has not dismissed yet. Both survive a restart of the
// daemon. Releasing a hold is one batch (held entries out, their digest in), so a crash never
// loses a digest nor makes two. Writes go in order, one after the other; what fails is logged
// (the messages themselves are stored and counted unread either way).
import { z } from 'zod'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'

export const HeldNotification = z.object({
  id: z.string(),
  conversation: z.string(),
  peer: z.string(),
  name: z.string(),
  /** The author's tag when they shared their name as it arrived (core/names.ts); absent in what an earlier version kept. */
  nameTag: z.string().optional(),
  time: z.number().int()
})
export type HeldNotification = z.infer<typeof HeldNotification>

/** What arrived while notifications were held, by author, until dismissed (the API's DigestView mirrors it). */
export const DigestView = z.object({
  id: z.string(),
  time: z.number().int(),
  total: z.number().int(),
  since: z.number().int(),
  from: z.array(z.object({ peer: z.string(), name: z.string(), nameTag: z.string().optional(), conversation: z.string(), count: z.number().int(), messages: z.array(z.string()) }))
})
export type DigestView = z.infer<typeof DigestView>

export type GateDatabase = Pick<Database, 'root' | 'heldNotifications' | 'digests'>

export class GateStore {
  #writes: Promise<void> = Promise.resolve()

  constructor (private readonly db: GateDatabase, private readonly log: (format: string, ...args: unknown[]) => void) {}

  /** What was held and the digests not dismissed, oldest first; values that do not parse are skipped. */
  async load (): Promise<{ held: HeldNotification[], digests: DigestView[] }> {
    return {
      held: parsed(await this.db.heldNotifications.values().all(), HeldNotification),
      digests: parsed(await this.db.digests.values().all(), DigestView)
    }
  }

  hold (held: HeldNotification, forgotten: HeldNotification[]): void {
    this.#write([
      { type: 'put', sublevel: this.db.heldNotifications, key: heldKey(held), value: held },
      ...forgotten.map(h => this.#unhold(h))
    ])
  }

  /** The hold ended for `released`: they leave the held list and `digest` is kept in one batch. */
  release (released: HeldNotification[], digest: DigestView, forgotten: DigestView[]): void {
    this.#write([
      ...released.map(h => this.#unhold(h)),
      { type: 'put', sublevel: this.db.digests, key: digestKey(digest), value: digest },
      ...forgotten.map(d => this.#undigest(d))
    ])
  }

  /** A digest changed (lines read) or went (dismissed, or nothing left in it). */
  digestChanged (digest: DigestView, gone: boolean): void {
    this.#write([gone ? this.#undigest(digest) : { type: 'put', sublevel: this.db.digests, key: digestKey(digest), value: digest }])
  }

  /** Resolves once every write asked for so far is done (tests, and a clean stop). */
  async flushed (): Promise<void> {
    await this.#writes
  }

  #unhold (held: HeldNotification): BatchOp {
    return { type: 'del', sublevel: this.db.heldNotifications, key: heldKey(held) }
  }

  #undigest (digest: DigestView): BatchOp {
    return { type: 'del', sublevel: this.db.digests, key: digestKey(digest) }
  }

  #write (ops: BatchOp[]): void {
    this.#writes = this.#writes
      .then(async () => { await this.db.root.batch(ops) })
      .catch(error => { this.log('presence: could not store the held notifications: %e', error) })
  }
}

// Keys sort by time, so the database gives them back in the order they came.
const timeKey = (time: number, id: string): string => `${String(time).padStart(15, '0')}!${id}`
const heldKey = (held: HeldNotification): string => timeKey(held.time, held.id)
const digestKey = (digest: DigestView): string => timeKey(digest.time, digest.id)

function parsed<T> (values: unknown[], schema: z.ZodType<T>): T[] {
  return values.flatMap(value => {
    const result = schema.safeParse(value)
    return result.success ? [result.data] : []
  })
}
