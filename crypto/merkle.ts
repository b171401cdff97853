// RFC 9162 §2.1 Merkle tree hashing and proof verification, pure (the hash comes from LogPrimitives).
// leaf = SHA-256(0x00 || bytes), node = SHA-256(0x01 || left || right), empty tree = SHA-256("").
// Proofs are described as ranges of leaves [start, end) so that the store that answers them
// (core/journal) only has to know how to hash a range.
import { equals } from './encoding.js'
import { HASH_BYTES, type LogPrimitives } from './log/primitives.js'

const LEAF_PREFIX = Uint8Array.of(0)
const NODE_PREFIX = Uint8Array.of(1)

export type Sha256 = LogPrimitives['sha256']

/** [start, end): the leaves whose Merkle tree hash (MTH) is one element of a proof. */
export type LeafRange = readonly [start: number, end: number]

export function hashLeaf (sha256: Sha256, leaf: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, leaf)
}

export function hashChildren (sha256: Sha256, left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right)
}

function emptyRoot (sha256: Sha256): Uint8Array {
  return sha256()
}

/** The largest power of two strictly below n (n >= 2): RFC 9162's split point k. */
export function splitPoint (n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/**
 * The perfect subtrees that make up [start, end), left to right, as [start, end) ranges: the
 * greedy decomposition by the binary digits of the range. A range in an RFC 9162 proof is either
 * perfect or the right edge of the tree, and its MTH is these subtrees folded right to left.
 */
export function perfectSubtrees (start: number, end: number): LeafRange[] {
  const ranges: LeafRange[] = []
  let at = start
  while (at < end) {
    let width = 1
    while (at % (width * 2) === 0 && at + width * 2 <= end) width *= 2
    ranges.push([at, at + width])
    at += width
  }
  return ranges
}

/** Folds subtree hashes (left to right) into the MTH of their union, right to left. */
export function foldRight (sha256: Sha256, hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return emptyRoot(sha256)
  let acc = hashes[hashes.length - 1]!
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(sha256, hashes[i]!, acc)
  return acc
}

/** RFC 9162 §2.1.3.1 PATH(m, D[0:n]) as leaf ranges, leaf-side first. */
export function inclusionProofRanges (index: number, size: number): LeafRange[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`)
  const ranges: LeafRange[] = []
  let start = 0
  let end = size
  while (end - start > 1) {
    const k = splitPoint(end - start)
    if (index < start + k) { ranges.push([start + k, end]); end = start + k } else { ranges.push([start, start + k]); start += k }
  }
  return ranges.reverse()
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]) as leaf ranges, in proof order. */
export function consistencyProofRanges (oldSize: number, newSize: number): LeafRange[] {
  if (!(oldSize >= 0 && oldSize <= newSize)) throw new RangeError(`no consistency proof from ${oldSize} to ${newSize}`)
  if (oldSize === 0 || oldSize === newSize) return []
  const ranges: LeafRange[] = []
  let start = 0
  let end = newSize
  let m = oldSize
  let whole = true
  while (m !== end - start) {
    const k = splitPoint(end - start)
    if (m <= k) { ranges.push([start + k, end]); end = start + k } else { ranges.push([start, start + k]); start += k; m -= k; whole = false }
  }
  if (!whole) ranges.push([start, end])
  return ranges.reverse()
}

const isHash = (h: Uint8Array): boolean => h.length === HASH_BYTES

/** RFC 9162 §2.1.3.2: true when `proof` shows `leafHash` at `index` in the tree of `size` with `root`. */
export function verifyInclusion (sha256: Sha256, index: number, size: number, leafHash: Uint8Array, proof: Uint8Array[], root: Uint8Array): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return false
  if (!isHash(leafHash) || !isHash(root) || !proof.every(isHash)) return false
  let fn = index
  let sn = size - 1
  let r = leafHash
  for (const p of proof) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(sha256, p, r)
      while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2) }
    } else {
      r = hashChildren(sha256, r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && equals(r, root)
}

/** RFC 9162 §2.1.4.2: true when `proof` shows the tree (newSize, newRoot) extends (oldSize, oldRoot). */
export function verifyConsistency (sha256: Sha256, oldSize: number, newSize: number, proof: Uint8Array[], oldRoot: Uint8Array, newRoot: Uint8Array): boolean {
  if (!(Number.isSafeInteger(oldSize) && Number.isSafeInteger(newSize) && oldSize >= 0 && oldSize <= newSize)) return false
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false
  if (oldSize === newSize) return proof.length === 0 && equals(oldRoot, newRoot)
  if (oldSize === 0) return proof.length === 0
  if (proof.length === 0) return false
  const path = (oldSize & (oldSize - 1)) === 0 ? [oldRoot, ...proof] : proof
  let fn = oldSize - 1
  let sn = newSize - 1
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2) }
  let fr = path[0]!
  let sr = path[0]!
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(sha256, c, fr)
      sr = hashChildren(sha256, c, sr)
      while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2) }
    } else {
      sr = hashChildren(sha256, sr, c)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && equals(fr, oldRoot) && equals(sr, newRoot)
}

/**
 * The right edge of a growing tree (RFC 9162's compact range from 0): one hash per perfect subtree,
 * so pushing a leaf costs O(1) amortised and memory stays O(log n) however many leaves go by.
 */
export class MerkleAccumulator {
  readonly #sha256: Sha256
  readonly #hashes: Uint8Array[] = []
  #size = 0

  constructor (sha256: Sha256) {
    this.#sha256 = sha256
  }

  get size (): number { return this.#size }

  /** Adds the hash of the next leaf (already hashed with hashLeaf). */
  push (leafHash: Uint8Array): void {
    let h = leafHash
    for (let s = this.#size; s % 2 === 1; s = Math.floor(s / 2)) h = hashChildren(this.#sha256, this.#hashes.pop()!, h)
    this.#hashes.push(h)
    this.#size++
  }

  root (): Uint8Array {
    return foldRight(this.#sha256, this.#hashes)
  }
}
