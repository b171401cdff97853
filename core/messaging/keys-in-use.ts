// The keys of received messages that were opened and are not yet stored or refused for good, per
// record (a peer's session, a channel sender's chains). A record written meanwhile holds them
// unspent, so that a key is spent on disk only together with its message: a write that fails (a
// full disk) or a crash loses nothing, and the sender's retry of the same bytes still opens.
export class KeysInUse<Key> {
  private readonly byRecord = new Map<string, Set<Key>>()

  /** `key` of record `id` is in use; the returned function says its message is done with. */
  use (id: string, key: Key): () => void {
    const keys = this.byRecord.get(id) ?? new Set<Key>()
    this.byRecord.set(id, keys.add(key))
    return () => {
      keys.delete(key)
      if (keys.size === 0 && this.byRecord.get(id) === keys) this.byRecord.delete(id)
    }
  }

  /** `record` as it may be written: the keys in use restored, except `own` (the batch's own message). */
  unspent<R> (id: string, record: R, restore: (record: R, key: Key) => R, own?: Key): R {
    let result = record
    for (const key of this.byRecord.get(id) ?? []) if (key !== own) result = restore(result, key)
    return result
  }
}
