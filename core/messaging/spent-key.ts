// A decrypted message has spent its key (a ratchet step, a chain iteration) whether it is stored or
// refused: the key's next state is written with the message, or alone when the message is refused.
// Not stored through a fault of ours (the disk is full), the key is given back instead: the sender
// tries the same bytes again.
import { isReceiverFault } from '../protocol/refusal.js'

export interface OpenedKey {
  /** The key's next state is durable (or will be with the batch in flight): forget the old one. */
  done: () => void
  /** Nothing was written: the key opens the sender's retry. */
  giveBack: () => void
}

/** Runs `accept` (which writes the key's next state with what it stores); settles `key` by its outcome. */
export async function settleSpentKey<T> (key: OpenedKey, writeKeyAlone: () => Promise<void>, accept: () => Promise<T>): Promise<T> {
  try {
    const result = await accept()
    key.done()
    return result
  } catch (error) {
    if (isReceiverFault(error)) {
      key.giveBack()
      throw error
    }
    try {
      await writeKeyAlone()
    } catch (writeError) {
      if (isReceiverFault(writeError)) key.giveBack()
      else key.done()
      throw writeError
    }
    key.done()
    throw error
  }
}
