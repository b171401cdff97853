// Where the Merkle log lives in LevelDB: the leaves (stored bytes) and the hash of every perfect
// subtree, tile-style, so any proof or past root is a handful of reads. Keys are fixed-width hex so
// they sort by index.
import type { AbstractSublevel } from 'abstract-level'
import { foldRight, hashChildren, perfectSubtrees, type LeafRange, type Sha256 } from '../../crypto/merkle.js'
import { JournalError } from './errors.js'

export type BytesSublevel = AbstractSublevel<any, any, string, Uint8Array>

export function bytesSublevel (db: AbstractSublevel<any, any, any, any>, name: string): BytesSublevel {
  return db.sublevel<string, Uint8Array>(name, { keyEncoding: 'utf8', valueEncoding: 'view' })
}

export const leafKey = (index: number): string => index.toString(16).padStart(12, '0')
export const nodeKey = (level: number, index: number): string => level.toString(16).padStart(2, '0') + index.toString(16).padStart(12, '0')

const levelOf = (width: number): number => Math.log2(width)

/** The stored node hashes for [start, end) ranges, one MTH per range, in one multi-get. */
export async function rangeHashes (nodes: BytesSublevel, sha256: Sha256, ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
  const parts = ranges.map(([start, end]) => perfectSubtrees(start, end))
  const keys = parts.flat().map(([start, end]) => nodeKey(levelOf(end - start), start / (end - start)))
  const values = keys.length === 0 ? [] : await nodes.getMany(keys)
  let at = 0
  return parts.map(subtrees => foldRight(sha256, subtrees.map(() => {
    const value = values[at++]
    if (value === undefined) throw new JournalError('JOURNAL_CORRUPT', `journal: node ${keys[at - 1]!} is missing`)
    return value
  })))
}

/**
 * The right edge of the tree: the hashes of the perfect subtrees covering [0, size), largest first.
 * `append` returns the nodes a new leaf completes (to store in the same batch) and the new edge.
 */
export class Frontier {
  constructor (readonly size: number, readonly hashes: readonly Uint8Array[]) {}

  static async load (nodes: BytesSublevel, sha256: Sha256, size: number): Promise<Frontier> {
    const subtrees = perfectSubtrees(0, size)
    return new Frontier(size, await rangeHashes(nodes, sha256, subtrees))
  }

  append (sha256: Sha256, leafHash: Uint8Array): { frontier: Frontier, nodes: Array<{ key: string, value: Uint8Array }> } {
    const hashes = [...this.hashes]
    const nodes = [{ key: nodeKey(0, this.size), value: leafHash }]
    let h = leafHash
    let level = 0
    for (let i = this.size; i % 2 === 1; i = (i - 1) / 2) {
      h = hashChildren(sha256, hashes.pop()!, h)
      level++
      nodes.push({ key: nodeKey(level, (i - 1) / 2), value: h })
    }
    hashes.push(h)
    return { frontier: new Frontier(this.size + 1, hashes), nodes }
  }

  root (sha256: Sha256): Uint8Array {
    return foldRight(sha256, [...this.hashes])
  }
}
