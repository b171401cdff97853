// LevelDB values that hold content, sealed with a key derived from the profile's master key
// (DESIGN.md §9): value encodings, so every read and write of those sublevels goes through them and a
// batch stays one batch. The keys (conversation, time, message id) stay readable: LevelDB orders by them.
import { AT_REST_LABELS, deriveSubkey, isSealed, valueSealer, type ValueSealer } from '../../crypto/at-rest.js'
import { fromUtf8, utf8 } from '../../crypto/encoding.js'

/** Seals the values of each named sublevel with the database subkey and the sublevel's own label. */
export interface ValueEncryption {
  sealer: (sublevel: string) => ValueSealer
  /** The key of the search index's word tags (core/search): its keys name no word in clear. */
  searchKey: Uint8Array
}

export function valueEncryption (masterKey: Uint8Array): ValueEncryption {
  const key = deriveSubkey(masterKey, 'database')
  return { sealer: sublevel => valueSealer(key, AT_REST_LABELS.value(sublevel)), searchKey: deriveSubkey(masterKey, 'search') }
}

/** A text value encoding (JSON, or a record's own text form) whose stored bytes are sealed. */
export interface TextCodec<V> {
  encode: (value: V) => string
  decode: (text: string) => V
}

export const jsonCodec: TextCodec<unknown> = { encode: value => JSON.stringify(value), decode: text => JSON.parse(text) }

export function sealedEncoding<V> (sublevel: string, codec: TextCodec<V>, sealer: ValueSealer) {
  return {
    name: `causette-sealed-${sublevel}`,
    format: 'view' as const,
    encode: (value: V): Uint8Array => sealer.seal(utf8(codec.encode(value))),
    decode: (bytes: Uint8Array): V => codec.decode(fromUtf8(sealer.open(bytes)))
  }
}

interface RawSublevel {
  iterator: () => AsyncIterable<[string, Uint8Array]>
  batch: (ops: Array<{ type: 'put', key: string, value: Uint8Array }>) => Promise<void>
}

const MIGRATION_BATCH = 1000

/**
 * Seals the values written before encryption existed (their bytes are the UTF-8 text of the value,
 * which never starts like a sealed box), in batches of MIGRATION_BATCH. Resumable: a value already
 * sealed is left as it is, so a crash part way only means the next start carries on.
 */
export async function sealPlainValues (raw: RawSublevel, sealer: ValueSealer): Promise<number> {
  let sealed = 0
  let ops: Array<{ type: 'put', key: string, value: Uint8Array }> = []
  for await (const [key, value] of raw.iterator()) {
    if (isSealed(value)) continue
    ops.push({ type: 'put', key, value: sealer.seal(value) })
    if (ops.length === MIGRATION_BATCH) {
      await raw.batch(ops)
      sealed += ops.length
      ops = []
    }
  }
  if (ops.length > 0) await raw.batch(ops)
  return sealed + ops.length
}
