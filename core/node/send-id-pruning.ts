// The sendIds of retried sends (core/messaging/send-once.ts) are pruned once at start, then daily:
// never on a send's path. A prune under way is waited for at stop, before the database closes.
import { SEND_ID_PRUNE_EVERY_MS, type SendOnce } from '../messaging/send-once.js'

/** Starts the pruning; returns its stop. */
export function pruneSendIds (sendOnce: Pick<SendOnce, 'prune'>, log: (format: string, ...args: unknown[]) => void): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve()
  const prune = (): void => {
    running = running.then(async () => await sendOnce.prune()).catch(error => { log('could not prune sendIds: %e', error) })
  }
  prune()
  const timer = setInterval(prune, SEND_ID_PRUNE_EVERY_MS)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
